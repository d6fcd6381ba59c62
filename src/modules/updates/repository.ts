import { sql } from 'kysely'
import type { Db, Trx } from '../../db/index.ts'
import type { CaseOutcome, Locale, UpdateKind } from '../../db/types.ts'

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

/** Stops a signature's updates; answers its campaign, or nothing for an unknown nonce. */
export function stopUpdates(db: Db, nonce: Buffer) {
  return db
    .updateTable('signatures as g')
    .set({ wants_updates: false })
    .from('campaigns as c')
    .whereRef('c.id', '=', 'g.campaign_id')
    .where('g.confirm_nonce', '=', nonce)
    .returning(['c.slug', 'c.title', 'c.translations'])
    .executeTakeFirst()
}

/** Whether a signature still wants updates, and its campaign; nothing for an unknown nonce. */
export function updatesChoice(db: Db, nonce: Buffer) {
  return db
    .selectFrom('signatures as g')
    .innerJoin('campaigns as c', 'c.id', 'g.campaign_id')
    .select(['g.wants_updates', 'c.slug', 'c.title', 'c.translations'])
    .where('g.confirm_nonce', '=', nonce)
    .executeTakeFirst()
}

/** How many signers an update of this campaign would be emailed to now. */
export async function recipientCount(db: Db, campaignId: string) {
  const row = await db
    .selectFrom('signatures')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'confirmed')
    .where('wants_updates', '=', true)
    .where('held', '=', false)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
