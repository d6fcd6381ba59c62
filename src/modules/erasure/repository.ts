import { sql } from 'kysely'
import type { Db, Trx } from '../../db/index.ts'
import { emailedWithin } from '../../db/cooldown.ts'

/**
 * One statement whatever the address's state: the request and the outbox row that carries its
 * id. Whether we hold anything for the address is the mail worker's question, so neither the
 * answer nor its timing can tell.
 */
export async function insertWithOutbox(db: Db, r: { emailKey: string; nonce: Buffer; expiresAt: Date }) {
  await sql`
    with inserted as (
      insert into erasure_requests (email_key, nonce, expires_at)
      values (${r.emailKey}, ${r.nonce}, ${r.expiresAt})
      returning id
    )
    insert into outbox (kind, payload)
    select 'erasure.request', jsonb_build_object('requestId', inserted.id::text) from inserted`.execute(db)
}

export function find(db: Db | Trx, id: string) {
  return db
    .selectFrom('erasure_requests')
    .select(['id', 'email_key', 'nonce', 'expires_at', 'used_at'])
    .where('id', '=', id)
    .executeTakeFirst()
}

export function findByNonce(db: Db | Trx, nonce: Buffer) {
  return db
    .selectFrom('erasure_requests')
    .select(['id', 'email_key', 'expires_at', 'used_at'])
    .where('nonce', '=', nonce)
    .executeTakeFirst()
}

/**
 * Locks every open request for an address, in id order, so that two requests for one address
 * are decided one after the other (and see each other's `emailed_at`). Says which were emailed
 * within the cooldown.
 */
export function lockOpenForAddress(trx: Trx, emailKey: string, cooldownSeconds: number) {
  return trx
    .selectFrom('erasure_requests')
    .select('id')
    .select(emailedWithin('emailed_at', cooldownSeconds).as('recently_emailed'))
    .where('email_key', '=', emailKey)
    .where('used_at', 'is', null)
    .orderBy('id')
    .forUpdate()
    .execute()
}

/**
 * Whom the link goes to, and in which language: an address we already hold for this key (the
 * subscriber's, else the latest signature's or letter's, of any status on any campaign), never one typed
 * into the request form. None: we hold nothing for the address.
 */
export async function recipientFor(db: Db | Trx, emailKey: string) {
  const subscriber = await db
    .selectFrom('subscribers')
    .select(['email', 'locale'])
    .where('email_key', '=', emailKey)
    .executeTakeFirst()
  if (subscriber) return subscriber
  const signature = await db
    .selectFrom('signatures')
    .select(['email', 'locale'])
    .where('email_key', '=', emailKey)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (signature) return signature
  return db
    .selectFrom('letters')
    .select(['email', 'locale'])
    .where('email_key', '=', emailKey)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
}

export function markEmailed(trx: Trx, id: string) {
  return trx
    .updateTable('erasure_requests')
    .set({ emailed_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute()
}

export function remove(trx: Trx, id: string) {
  return trx.deleteFrom('erasure_requests').where('id', '=', id).execute()
}

/**
 * An expired link can erase nothing, so its request no longer needs the address. Rows another
 * worker is deciding on are skipped, not waited for: they are cleared next time.
 */
export async function forgetExpired(db: Db): Promise<number> {
  const result = await sql`
    update erasure_requests set email_key = null
    where id in (
      select id from erasure_requests
      where email_key is not null and expires_at <= now()
      for update skip locked
    )`.execute(db)
  return Number(result.numAffectedRows ?? 0)
}

/** Every signature of the address, pending, confirmed or invalidated, on every campaign. */
export function deleteSignatures(trx: Trx, emailKey: string) {
  return trx
    .deleteFrom('signatures')
    .where('email_key', '=', emailKey)
    .returning(['campaign_id', 'status', 'held'])
    .execute()
}

/** Every letter request of the address, pending or confirmed, with its sends to targets (ON DELETE CASCADE). */
export async function deleteLetters(trx: Trx, emailKey: string): Promise<number> {
  const result = await trx.deleteFrom('letters').where('email_key', '=', emailKey).executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** The alerts still sending to this address's subscriber: deleting it settles their last deliveries. */
export async function alertsAwaiting(trx: Trx, emailKey: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('deliveries')
    .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
    .select('deliveries.alert_id')
    .distinct()
    .where('subscribers.email_key', '=', emailKey)
    .where('deliveries.status', 'in', ['queued', 'sending'])
    .execute()
  return rows.map((r) => r.alert_id)
}

/**
 * The subscriber; its topics, deliveries (pending ones included), digests and any suppression
 * still keyed by its address go with it (ON DELETE CASCADE).
 */
export function deleteSubscriber(trx: Trx, emailKey: string) {
  return trx.deleteFrom('subscribers').where('email_key', '=', emailKey).returning('id').execute()
}

/** Closes every open request for the address, this one included, and forgets the address on them. */
export function closeRequests(trx: Trx, emailKey: string) {
  return trx
    .updateTable('erasure_requests')
    .set({ email_key: null, used_at: sql<Date>`coalesce(used_at, now())` })
    .where('email_key', '=', emailKey)
    .execute()
}
