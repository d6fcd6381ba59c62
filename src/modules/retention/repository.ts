import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'

// One bounded batch per call: each statement locks at most `limit` rows, skipping rows another
// transaction holds (a confirmation, a repeat), which the next run finds again.

const olderThan = (days: number) => sql<Date>`now() - make_interval(days => ${days})`

/** Empties `column` in a batch of rows of `table` created more than `days` ago; the rows stay. */
async function clearOld(
  db: Db,
  table: 'suppressions' | 'signatures' | 'letters',
  key: 'id' | 'email_key',
  column: 'detail' | 'ip_hash',
  days: number,
  limit: number,
): Promise<number> {
  const result = await sql`
    update ${sql.table(table)} set ${sql.ref(column)} = null
    where ${sql.ref(key)} in (
      select ${sql.ref(key)} from ${sql.table(table)}
      where ${sql.ref(column)} is not null and created_at < ${olderThan(days)}
      limit ${limit}
      for update skip locked)`.execute(db)
  return Number(result.numAffectedRows ?? 0)
}

/**
 * Signatures never confirmed whose link expired more than `days` ago: pending ones, and pending
 * ones an organizer invalidated (a restore would only make them pending again). Neither was
 * ever counted, so no count changes. A signature that was confirmed is never touched.
 */
export async function deleteUnconfirmedSignatures(db: Db, days: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('signatures')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('signatures')
        .select('id')
        .where('status', 'in', ['pending', 'invalidated'])
        .where('confirmed_at', 'is', null)
        .where('confirm_expires_at', '<', olderThan(days))
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

/**
 * Letter requests never confirmed whose link expired more than `days` ago, as for signatures: a
 * repeat never extends a link, so one made in someone else's name reaches this. A confirmed
 * letter stays (it was sent in the supporter's name; erasure removes it).
 */
export async function deleteUnconfirmedLetters(db: Db, days: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('letters')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('letters')
        .select('id')
        .where('status', '=', 'pending')
        .where('confirm_expires_at', '<', olderThan(days))
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

/**
 * Subscribers whose confirm link expired, or who unsubscribed, more than `days` ago. One that never
 * received an alert or a digest is deleted (its topics go with it). One that did keeps its row, so
 * that past alerts' delivery statistics stay whole, without its address (see
 * migrations/20261128090000_retention.ts), topics or working links (a new nonce). Either way an
 * unsubscribe goes: it only stopped mail to this subscriber, and a new subscription needs a fresh
 * opt-in. A bounce or complaint stays as the address's hash alone (hashSuppressions ran first:
 * one still without a hash would go, rather than keep the address).
 */
export async function forgetLeftSubscribers(db: Db, days: number, limit: number) {
  const result = await sql<{ deleted: number; erased: number }>`
    with stale as (
      select id, email_key from subscribers
      where email <> '' and (
        (status = 'pending' and confirm_expires_at < ${olderThan(days)})
        or (status = 'unsubscribed' and unsubscribed_at < ${olderThan(days)}))
      limit ${limit}
      for update skip locked
    ), sorted as (
      select id, email_key,
        exists (select 1 from deliveries d where d.subscriber_id = stale.id)
          or exists (select 1 from digests g where g.subscriber_id = stale.id) as received
      from stale
    ), deleted as (
      delete from subscribers s using sorted where s.id = sorted.id and not sorted.received
      returning s.id
    ), erased as (
      update subscribers s
      set email = '', email_key = 'erased:' || s.id, status = 'unsubscribed',
        unsubscribed_at = coalesce(s.unsubscribed_at, now()), confirm_expires_at = null,
        nonce = uuid_send(gen_random_uuid())
      from sorted where s.id = sorted.id and sorted.received
      returning s.id
    ), campaigns_dropped as (
      delete from subscriber_campaigns where subscriber_id in (select id from sorted where received)
    ), provinces_dropped as (
      delete from subscriber_provinces where subscriber_id in (select id from sorted where received)
    ), suppressions_kept as (
      update suppressions set email_key = null, detail = null
      where email_key in (select email_key from sorted) and reason <> 'unsubscribed' and address_hash is not null
    ), suppressions_dropped as (
      delete from suppressions
      where email_key in (select email_key from sorted) and (reason = 'unsubscribed' or address_hash is null)
    )
    select (select count(*) from deleted)::int as deleted, (select count(*) from erased)::int as erased`.execute(db)
  return result.rows[0] ?? { deleted: 0, erased: 0 }
}

/**
 * Suppressions written before they carried a hash (migrations/20261207050001_suppression_hash.ts)
 * get it, so that each can outlive its address.
 */
export async function hashSuppressions(db: Db, hash: (emailKey: string) => Buffer, limit: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('suppressions')
      .select('email_key')
      .where('address_hash', 'is', null)
      .where('email_key', 'is not', null)
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute()
    const keys = rows.map((r) => r.email_key!)
    if (keys.length > 0) {
      await sql`
        update suppressions s set address_hash = v.hash
        from unnest(${keys}::text[], ${keys.map(hash)}::bytea[]) as v(key, hash)
        where s.email_key = v.key`.execute(trx)
    }
    return rows.length
  })
}

/** The SMTP answer kept with a suppression: nothing reads it, and answers often quote the address. */
export async function clearSuppressionDetails(db: Db, days: number, limit: number): Promise<number> {
  return clearOld(db, 'suppressions', 'email_key', 'detail', days, limit)
}

/**
 * The network hash of signatures made more than `days` ago (IP_HASH_DAYS): it serves bulk
 * invalidation (signature-admin groups by it) while a flood is fresh, then only links a signer to
 * a network. The signature, confirmed or not, stays.
 */
export async function dropOldIpHashes(db: Db, days: number, limit: number): Promise<number> {
  return clearOld(db, 'signatures', 'id', 'ip_hash', days, limit)
}

/** The network hash of letter requests made more than `days` ago, as for signatures. */
export async function dropOldLetterIpHashes(db: Db, days: number, limit: number): Promise<number> {
  return clearOld(db, 'letters', 'id', 'ip_hash', days, limit)
}

/**
 * Outbox rows relayed more than `days` ago, once done; a row not done yet (its job may be waiting
 * out a mail server's outage, for up to two days: workers/backoff.ts) 3 days later still. A row
 * links an id to what we did about it, a repeat subscription to the topics asked for. Rows not
 * yet relayed are what a Redis outage keeps, and stay.
 */
export async function deleteRelayedOutbox(db: Db, days: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('outbox')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('outbox')
        .select('id')
        .where('relayed_at', '<', olderThan(days))
        .where((eb) => eb.or([eb('done_at', 'is not', null), eb('relayed_at', '<', olderThan(days + 3))]))
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
