import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'

export type DigestEnd = 'queued' | 'sent' | 'failed' | 'suppressed' | 'empty'

/** A page of active daily subscribers after `cursor`, each with where its next digest starts. */
export function dailySubscribers(db: Db, cursor: string, limit: number) {
  return db
    .selectFrom('subscribers')
    .select(['id', sql<Date>`coalesce(last_digest_at, confirmed_at, created_at)`.as('since')])
    .where('status', '=', 'active')
    .where('frequency', '=', 'daily')
    .where('id', '>', cursor)
    .orderBy('id')
    .limit(limit)
    .execute()
}

/** One digest row per subscriber and day; a second run of the day inserts nothing. */
export async function insertDigests(db: Db, day: string, until: Date, page: { id: string; since: Date }[]) {
  await db
    .insertInto('digests')
    .values(page.map((s) => ({ subscriber_id: s.id, day, since: s.since, until })))
    .onConflict((oc) => oc.constraint('digests_subscriber_day').doNothing())
    .execute()
}

export async function queuedDigests(db: Db, day: string, subscriberIds: string[]) {
  const rows = await db
    .selectFrom('digests')
    .select('id')
    .where('day', '=', day)
    .where('status', '=', 'queued')
    .where('subscriber_id', 'in', subscriberIds)
    .execute()
  return rows.map((r) => r.id)
}

/** queued -> sending, or a stale sending whose worker died; as for alert deliveries. */
export function claimDigest(db: Db, id: string, staleAfterSeconds: number) {
  return db
    .updateTable('digests')
    .set({ status: 'sending', claimed_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'queued'),
        eb.and([
          eb('status', '=', 'sending'),
          eb('claimed_at', '<', sql<Date>`now() - make_interval(secs => ${staleAfterSeconds})`),
        ]),
      ]),
    )
    .returning(['id', 'subscriber_id', 'since', 'until'])
    .executeTakeFirst()
}

export async function statusOf(db: Db, id: string) {
  const row = await db.selectFrom('digests').select('status').where('id', '=', id).executeTakeFirst()
  return row?.status
}

/** Marks failed, with `reason`, the digests among these still queued or claimed (see abandonDeliveries). */
export function abandonDigests(db: Db, ids: readonly string[], reason: string) {
  return db
    .updateTable('digests')
    .set({ status: 'failed', smtp_response: reason })
    .where('id', 'in', ids)
    .where('status', 'in', ['queued', 'sending'])
    .executeTakeFirst()
}

/** Gives back a claim on which nothing was sent, so that the job's retry can take it at once. */
export function releaseDigest(db: Db, id: string) {
  return db
    .updateTable('digests')
    .set({ status: 'queued' })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .execute()
}

/** Records the outcome; a sent or empty digest moves the subscriber's next start to `until`. */
export async function finishDigest(
  db: Db,
  claim: { id: string; subscriber_id: string; until: Date },
  status: DigestEnd,
  response: string | null,
  reportCount: number,
) {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('digests')
      .set({
        status,
        smtp_response: response,
        report_count: reportCount,
        ...(status === 'sent' ? { sent_at: sql<Date>`now()` } : {}),
      })
      .where('id', '=', claim.id)
      .execute()
    if (status === 'sent' || status === 'empty') {
      await trx
        .updateTable('subscribers')
        .set({ last_digest_at: claim.until })
        .where('id', '=', claim.subscriber_id)
        .execute()
    }
  })
}
