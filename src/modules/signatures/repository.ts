import { sql } from 'kysely'
import type { Db, Trx } from '../../db/index.ts'
import { emailedWithin } from '../../db/cooldown.ts'
import type { NewSignature } from '../../db/types.ts'

/**
 * The common case in one autocommit statement: a new address on a live campaign inserts the
 * signature and the outbox row asking for its confirmation together (a statement is atomic).
 * Returns false when the address signed before or the campaign is no longer live; the caller
 * then takes the transactional path.
 */
/**
 * One call for a new address and a repeat alike, so neither the answer nor its timing says which
 * it was: a new address gets its signature and a `signature.confirm` row; an address that signed
 * before gets a `signature.repeat` row, which the mail worker resolves. Nothing is written when
 * the campaign is no longer live. False when nothing was written. The SQL is the function
 * `note_signature` (migrations/20261128060000_note_signature.ts), whose plans Postgres keeps.
 */
export async function insertOrNoteRepeat(db: Db, s: NewSignature): Promise<boolean> {
  const result = await sql<{ noted: boolean }>`
    select note_signature(${s.campaign_id}::bigint, ${s.name}::text, ${s.email}::text, ${s.email_key}::text,
      ${s.country}::char(2), ${s.comment ?? null}::text, ${s.public_name}::boolean, ${s.wants_alerts}::boolean,
      ${s.locale}::text, ${s.confirm_nonce}::bytea, ${s.confirm_expires_at}::timestamptz, ${s.ip_hash ?? null}::bytea) as noted`.execute(db)
  return result.rows[0]?.noted === true
}

/** Locks a signature for the mail worker's decision on a repeat; says if we emailed it lately. */
export function lockForRepeat(trx: Trx, id: string, cooldownSeconds: number) {
  return trx
    .selectFrom('signatures')
    .select(['id', 'status'])
    .select(
      emailedWithin('last_emailed_at', cooldownSeconds).as('recently_emailed'),
    )
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

export function markEmailed(trx: Trx, id: string) {
  return trx.updateTable('signatures').set({ last_emailed_at: sql<Date>`now()` }).where('id', '=', id).execute()
}

export function extendConfirmation(trx: Trx, id: string, expiresAt: Date) {
  return trx.updateTable('signatures').set({ confirm_expires_at: expiresAt }).where('id', '=', id).execute()
}

/** pending -> confirmed, once, and only while the link is valid. */
export function confirmByNonce(trx: Trx, nonce: Buffer) {
  return trx
    .updateTable('signatures')
    .set({ status: 'confirmed', confirmed_at: sql<Date>`now()` })
    .where('confirm_nonce', '=', nonce)
    .where('status', '=', 'pending')
    .where('confirm_expires_at', '>', sql<Date>`now()`)
    .returning(['id', 'campaign_id', 'wants_alerts', 'email', 'locale'])
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
      'signatures.locale',
      'signatures.confirm_nonce',
      'campaigns.slug',
      'campaigns.id as campaign_id',
    ])
    .where('signatures.id', '=', id)
    .executeTakeFirst()
}

/** The latest confirmed signers who chose to be shown; never an address. */
export function recentPublic(db: Db, campaignId: string, limit: number) {
  return db
    .selectFrom('signatures')
    .select(['name', 'country', 'comment', 'confirmed_at'])
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'confirmed')
    .where('public_name', '=', true)
    .orderBy('confirmed_at', 'desc')
    .limit(limit)
    .execute()
}

export function addCountDelta(trx: Trx, campaignId: string, delta: number) {
  return trx.insertInto('signature_count_deltas').values({ campaign_id: campaignId, delta }).execute()
}
