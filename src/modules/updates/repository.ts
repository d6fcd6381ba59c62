import { sql } from 'kysely'
import type { Db, Trx } from '../../db/index.ts'
import type { CampaignTexts, CaseOutcome, Locale, UpdateKind } from '../../db/types.ts'

const columns = ['id', 'campaign_id', 'kind', 'title', 'body', 'lang', 'outcome', 'created_at'] as const

export interface NewUpdate {
  campaignId: string
  kind: UpdateKind
  title: string
  body: string
  lang: Locale
  outcome: CaseOutcome | null
  createdBy: string | null
}

export function insertUpdate(trx: Trx, u: NewUpdate) {
  return trx
    .insertInto('campaign_updates')
    .values({
      campaign_id: u.campaignId,
      kind: u.kind,
      title: u.title,
      body: u.body,
      lang: u.lang,
      outcome: u.outcome,
      created_by: u.createdBy,
    })
    .returning(columns)
    .executeTakeFirstOrThrow()
}

export type UpdateRow = Awaited<ReturnType<typeof insertUpdate>>

/** A campaign's updates, newest first, each with its alert if it notified anyone. */
export function listUpdates(db: Db, campaignId: string, limit: number) {
  return db
    .selectFrom('campaign_updates as u')
    .leftJoin('alerts as a', 'a.update_id', 'u.id')
    .select(columns.map((c) => `u.${c}` as const))
    .select('a.id as alert_id')
    .where('u.campaign_id', '=', campaignId)
    .orderBy('u.created_at', 'desc')
    .orderBy('u.id', 'desc')
    .limit(limit)
    .execute()
}

/** An update with its campaign's slug and title: what its email and the console need. */
export function findUpdate(db: Db | Trx, id: string) {
  return db
    .selectFrom('campaign_updates as u')
    .innerJoin('campaigns as c', 'c.id', 'u.campaign_id')
    .select(columns.map((c) => `u.${c}` as const))
    .select(['c.slug as campaign_slug', 'c.title as campaign_title', 'c.translations as campaign_translations'])
    .where('u.id', '=', id)
    .executeTakeFirst()
}

export type FoundUpdate = NonNullable<Awaited<ReturnType<typeof findUpdate>>>

/** An outcome sets the case's state and ends the signing, if it was still open. */
export function setOutcome(trx: Trx, campaignId: string, outcome: CaseOutcome) {
  return trx
    .updateTable('campaigns')
    .set({
      outcome,
      status: sql`case when status = 'live' then 'closed' else status end`,
      closed_at: sql`case when status = 'live' then now() else closed_at end`,
    })
    .where('id', '=', campaignId)
    .execute()
}

/** The signature or letter of an update email's link (its confirm nonce), with its campaign and address. */
function byNonce(nonce: Buffer) {
  return sql<{ campaign_id: string; email_key: string; wants_updates: boolean }>`
    (select campaign_id, email_key, wants_updates from signatures where confirm_nonce = ${nonce}
     union all
     select campaign_id, email_key, wants_updates from letters where confirm_nonce = ${nonce})
    limit 1`
}

type CampaignOfChoice = { slug: string; title: string; translations: Partial<Record<Locale, CampaignTexts>> }

/**
 * Stops a person's updates of one campaign, given the link of their signature or their letter:
 * both stop (one person, one choice), nothing else does. Answers the campaign, or nothing for an
 * unknown nonce.
 */
export async function stopUpdates(db: Db, nonce: Buffer) {
  const { rows } = await sql<CampaignOfChoice>`
    with who as (${byNonce(nonce)}),
    signed as (
      update signatures g set wants_updates = false from who
      where g.campaign_id = who.campaign_id and g.email_key = who.email_key),
    wrote as (
      update letters l set wants_updates = false from who
      where l.campaign_id = who.campaign_id and l.email_key = who.email_key)
    select c.slug, c.title, c.translations from who join campaigns c on c.id = who.campaign_id`.execute(db)
  return rows[0]
}

/** Whether a signer or letter writer still wants updates, and the campaign; nothing for an unknown nonce. */
export async function updatesChoice(db: Db, nonce: Buffer) {
  const { rows } = await sql<CampaignOfChoice & { wants_updates: boolean }>`
    with who as (${byNonce(nonce)})
    select who.wants_updates, c.slug, c.title, c.translations
    from who join campaigns c on c.id = who.campaign_id`.execute(db)
  return rows[0]
}

/**
 * How many people an update of this campaign would be emailed to now: its signers who want them,
 * and its letter writers who want them and did not sign (the fan-out's two phases).
 */
export async function recipientCount(db: Db, campaignId: string) {
  const { rows } = await sql<{ n: string }>`
    select
      (select count(*) from signatures
       where campaign_id = ${campaignId} and status = 'confirmed' and wants_updates and not held)
      + (select count(*) from letters l
         where l.campaign_id = ${campaignId} and l.status = 'confirmed' and l.wants_updates
           and not exists (select 1 from signatures g where g.campaign_id = l.campaign_id
             and g.email_key = l.email_key and g.status = 'confirmed')) as n`.execute(db)
  return Number(rows[0]!.n)
}
