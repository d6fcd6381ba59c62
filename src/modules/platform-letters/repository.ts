import { sql, type RawBuilder } from 'kysely'
import type { Db, Trx } from '../../db/index.ts'
import { emailedWithin } from '../../db/cooldown.ts'
import type { NewLetter } from '../../db/types.ts'

// SQL for a supporter's letter request: the one-statement write (new or repeat), its
// confirmation, and what mail and pages read. Its sends to targets are in sends-repository.ts.

/**
 * One call for a new address and a repeat alike, so neither the answer nor its timing says which
 * it was. False when nothing was written (campaign no longer live). The SQL is the function
 * `note_letter` (migrations/20261210090000_letter_writer_updates.ts).
 */
export async function insertOrNoteRepeat(db: Db | Trx, l: NewLetter): Promise<boolean> {
  const result = await sql<{ noted: boolean }>`select ${noteLetter(l)} as noted`.execute(db)
  return result.rows[0]?.noted === true
}

/** The call of `note_letter` for a letter request, for a statement of its own or another's (a signature's). */
export function noteLetter(l: NewLetter): RawBuilder<boolean> {
  return sql<boolean>`note_letter(${l.campaign_id}::bigint, ${l.name}::text, ${l.email}::text, ${l.email_key}::text,
      ${l.country}::char(2), ${l.city}::text, ${l.body}::text, ${l.wants_alerts}::boolean,
      ${l.wants_updates ?? true}::boolean, ${l.locale}::text, ${l.confirm_nonce}::bytea,
      ${l.confirm_expires_at}::timestamptz, ${l.ip_hash}::bytea, ${l.with_signature ?? false}::boolean)`
}

/** Locks a letter for the mail worker's decision on a repeat; says if we emailed it lately. */
export function lockForRepeat(trx: Trx, id: string, cooldownSeconds: number) {
  return trx
    .selectFrom('letters')
    .select(['id', 'status'])
    .select(emailedWithin('last_emailed_at', cooldownSeconds).as('recently_emailed'))
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

export function markEmailed(trx: Trx, id: string) {
  return trx
    .updateTable('letters')
    .set({ last_emailed_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute()
}

/** What a supporter chose, as the confirm page and email show it: what the button sends. */
const choiceColumns = [
  'letters.name',
  'letters.country',
  'letters.city',
  'letters.body',
  'letters.wants_alerts',
  'letters.locale',
] as const

/** Locks a letter by its link's nonce, for a confirmation. */
export function lockByNonce(trx: Trx, nonce: Buffer) {
  return trx
    .selectFrom('letters')
    .select(['id', 'status', 'confirm_expires_at', ...choiceColumns])
    .where('confirm_nonce', '=', nonce)
    .forUpdate()
    .executeTakeFirst()
}

/** pending -> confirmed, once, and only while the link is valid. */
export function confirmById(trx: Trx, id: string) {
  return trx
    .updateTable('letters')
    .set({ status: 'confirmed', confirmed_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('confirm_expires_at', '>', sql<Date>`now()`)
    .returning(['id', 'campaign_id', 'wants_alerts', 'email', 'locale'])
    .executeTakeFirst()
}

export function findByNonce(db: Db | Trx, nonce: Buffer) {
  return db
    .selectFrom('letters')
    .innerJoin('campaigns', 'campaigns.id', 'letters.campaign_id')
    .select([
      'letters.id',
      'letters.status',
      'letters.confirm_expires_at',
      ...choiceColumns,
      'campaigns.slug',
      'campaigns.id as campaign_id',
    ])
    .where('letters.confirm_nonce', '=', nonce)
    .executeTakeFirst()
}

/** What the mail worker needs to write to a supporter: the one place their address is read back. */
export function findForMail(db: Db, id: string) {
  return db
    .selectFrom('letters')
    .innerJoin('campaigns', 'campaigns.id', 'letters.campaign_id')
    .select([
      'letters.id',
      'letters.email',
      ...choiceColumns,
      'letters.confirm_nonce',
      'letters.confirm_expires_at',
      'campaigns.slug',
      'campaigns.id as campaign_id',
    ])
    .where('letters.id', '=', id)
    .executeTakeFirst()
}

/** The campaign a letter's confirmation is about: its email cooldown subject. */
export async function campaignOf(db: Db, letterId: string): Promise<string | undefined> {
  const row = await db.selectFrom('letters').select('campaign_id').where('id', '=', letterId).executeTakeFirst()
  return row?.campaign_id
}

/** Whom the platform writes to for a campaign, as the confirmation shows them: names only, never an address. */
export function recipientsOf(db: Db, campaignId: string) {
  return db
    .selectFrom('campaign_targets')
    .innerJoin('targets', 'targets.id', 'campaign_targets.target_id')
    .select(['targets.name', 'targets.organisation'])
    .where('campaign_targets.campaign_id', '=', campaignId)
    .where('targets.email', 'is not', null)
    .where('targets.email', '<>', '')
    .where('targets.archived_at', 'is', null)
    .where('targets.bounced_at', 'is', null)
    .orderBy('campaign_targets.position')
    .execute()
}

/** A campaign's letter by this address asked for with a signature and not yet confirmed: what its link confirms too. */
export function pendingWithSignature(db: Db | Trx, campaignId: string, emailKey: string) {
  return db
    .selectFrom('letters')
    .select(['id', 'body', 'city'])
    .where('campaign_id', '=', campaignId)
    .where('email_key', '=', emailKey)
    .where('status', '=', 'pending')
    .where('with_signature', '=', true)
    .executeTakeFirst()
}

/** pending -> confirmed for the letter asked for with a signature, as that signature is confirmed. */
export function confirmWithSignature(trx: Trx, campaignId: string, emailKey: string) {
  return trx
    .updateTable('letters')
    .set({ status: 'confirmed', confirmed_at: sql<Date>`now()` })
    .where('campaign_id', '=', campaignId)
    .where('email_key', '=', emailKey)
    .where('status', '=', 'pending')
    .where('with_signature', '=', true)
    .returning(['id', 'campaign_id'])
    .executeTakeFirst()
}

/** A letter asked for with a signature that cannot confirm it (signed already): from now on it asks its own confirmation. */
export function detachFromSignature(trx: Trx, campaignId: string, emailKey: string) {
  return trx
    .updateTable('letters')
    .set({ with_signature: false })
    .where('campaign_id', '=', campaignId)
    .where('email_key', '=', emailKey)
    .where('status', '=', 'pending')
    .where('with_signature', '=', true)
    .returning('id')
    .executeTakeFirst()
}
