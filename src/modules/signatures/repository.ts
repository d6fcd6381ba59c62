import { sql, type RawBuilder } from 'kysely'
import type { Db, Trx } from '../../db/index.ts'
import { emailedWithin } from '../../db/cooldown.ts'
import type { NewSignature } from '../../db/types.ts'

// SQL for signatures: the one-statement sign (new or repeat), confirmation, and what mail and pages read.

/**
 * One call for a new address and a repeat alike, so neither the answer nor its timing says which it was.
 * False when nothing was written (campaign no longer live). The SQL is the function `note_signature` (a migration).
 */
export async function insertOrNoteRepeat(
  db: Db | Trx,
  s: NewSignature,
  /** Another note written by the same statement (a letter asked for with the signature): atomic, one round trip. */
  alsoNote?: RawBuilder<boolean>,
): Promise<boolean> {
  const result = await sql<{ noted: boolean }>`
    select note_signature(${s.campaign_id}::bigint, ${s.name}::text, ${s.email}::text, ${s.email_key}::text,
      ${s.country}::char(2), ${s.comment ?? null}::text, ${s.public_name}::boolean, ${s.wants_alerts}::boolean,
      ${s.locale}::text, ${s.confirm_nonce}::bytea, ${s.confirm_expires_at}::timestamptz, ${s.ip_hash ?? null}::bytea) as noted
      ${alsoNote ? sql`, ${alsoNote} as also_noted` : sql``}`.execute(db)
  return result.rows[0]?.noted === true
}

/** Holds a campaign's pending signature by this address for review (see signatures.held). */
export function holdPending(trx: Trx, campaignId: string, emailKey: string) {
  return trx
    .updateTable('signatures')
    .set({ held: true })
    .where('campaign_id', '=', campaignId)
    .where('email_key', '=', emailKey)
    .where('status', '=', 'pending')
    .execute()
}

/**
 * A signer's "no news of this campaign", on a signature not yet confirmed: the choices a pending
 * signature's link confirms (a confirmed one keeps its own, as note_signature does).
 */
export function optOutOfUpdates(trx: Trx, campaignId: string, emailKey: string) {
  return trx
    .updateTable('signatures')
    .set({ wants_updates: false })
    .where('campaign_id', '=', campaignId)
    .where('email_key', '=', emailKey)
    .where('status', '=', 'pending')
    .execute()
}

/** Locks a signature for the mail worker's decision on a repeat; says if we emailed it lately. */
export function lockForRepeat(trx: Trx, id: string, cooldownSeconds: number) {
  return trx
    .selectFrom('signatures')
    .select(['id', 'status', 'campaign_id', 'email_key'])
    .select(emailedWithin('last_emailed_at', cooldownSeconds).as('recently_emailed'))
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

export function markEmailed(trx: Trx, id: string) {
  return trx
    .updateTable('signatures')
    .set({ last_emailed_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute()
}

/** What a signer chose, as the confirm page and email show it: what the button confirms. */
const choiceColumns = [
  'signatures.name',
  'signatures.country',
  'signatures.comment',
  'signatures.public_name',
  'signatures.wants_alerts',
  'signatures.locale',
] as const

/** Locks a signature by its link's nonce, for a confirmation. */
export function lockByNonce(trx: Trx, nonce: Buffer) {
  return trx
    .selectFrom('signatures')
    .select(['id', 'campaign_id', 'status', 'confirm_expires_at', 'email', 'email_key', ...choiceColumns])
    .where('confirm_nonce', '=', nonce)
    .forUpdate()
    .executeTakeFirst()
}

/** pending -> confirmed, once, and only while the link is valid. */
export function confirmById(trx: Trx, id: string) {
  return trx
    .updateTable('signatures')
    .set({ status: 'confirmed', confirmed_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('confirm_expires_at', '>', sql<Date>`now()`)
    .returning(['id', 'campaign_id', 'wants_alerts', 'email', 'email_key', 'locale', 'held'])
    .executeTakeFirst()
}

export function findByNonce(db: Db | Trx, nonce: Buffer) {
  return db
    .selectFrom('signatures')
    .innerJoin('campaigns', 'campaigns.id', 'signatures.campaign_id')
    .select([
      'signatures.id',
      'signatures.status',
      'signatures.confirm_expires_at',
      'signatures.email_key',
      ...choiceColumns,
      'campaigns.slug',
      'campaigns.id as campaign_id',
    ])
    .where('signatures.confirm_nonce', '=', nonce)
    .executeTakeFirst()
}

/** What the mail worker needs to write to a signer: the one place an address is read back. */
export function findForMail(db: Db, id: string) {
  return db
    .selectFrom('signatures')
    .innerJoin('campaigns', 'campaigns.id', 'signatures.campaign_id')
    .select([
      'signatures.id',
      'signatures.email',
      'signatures.name',
      'signatures.country',
      'signatures.comment',
      'signatures.public_name',
      'signatures.wants_alerts',
      'signatures.locale',
      'signatures.confirm_nonce',
      'signatures.confirm_expires_at',
      'campaigns.slug',
      'campaigns.id as campaign_id',
    ])
    .where('signatures.id', '=', id)
    .executeTakeFirst()
}

/** The latest confirmed signers who chose to be shown, none held for review; never an address. */
export function recentPublic(db: Db, campaignId: string, limit: number) {
  return db
    .selectFrom('signatures')
    .select(['name', 'country', 'comment', 'confirmed_at'])
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'confirmed')
    .where('held', '=', false)
    .where('public_name', '=', true)
    .orderBy('confirmed_at', 'desc')
    .limit(limit)
    .execute()
}

export function addCountDelta(trx: Trx, campaignId: string, delta: number) {
  return trx.insertInto('signature_count_deltas').values({ campaign_id: campaignId, delta }).execute()
}
