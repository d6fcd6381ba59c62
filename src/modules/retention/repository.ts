import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'

// One bounded batch per call: each statement locks at most `limit` rows, skipping rows another
// transaction holds (a confirmation, a repeat), which the next run finds again.

const olderThan = (days: number) => sql<Date>`now() - make_interval(days => ${days})`

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
 * Subscribers whose confirm link expired, or who unsubscribed, more than `days` ago. One that never
 * received an alert or a digest is deleted (its topics go with it). One that did keeps its row, so
 * that past alerts' delivery statistics stay whole, without its address (see
 * migrations/20261128090000_retention.ts), topics or working links (a new nonce). Either way its
 * suppression goes: it only stopped mail to this subscriber, and any new subscription for the
 * address needs a fresh opt-in, which lifts a suppression anyway.
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
    ), suppressions_dropped as (
      delete from suppressions where email_key in (select email_key from sorted)
    )
    select (select count(*) from deleted)::int as deleted, (select count(*) from erased)::int as erased`.execute(db)
  return result.rows[0] ?? { deleted: 0, erased: 0 }
}

/** The SMTP answer kept with a suppression: nothing reads it, and answers often quote the address. */
export async function clearSuppressionDetails(db: Db, days: number, limit: number): Promise<number> {
  const result = await db
    .updateTable('suppressions')
    .set({ detail: null })
    .where('email_key', 'in', (eb) =>
      eb
        .selectFrom('suppressions')
        .select('email_key')
        .where('detail', 'is not', null)
        .where('created_at', '<', olderThan(days))
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
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
