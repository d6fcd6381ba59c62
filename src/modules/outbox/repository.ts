import { sql } from 'kysely'
import type { Db, Trx } from '../../db/index.ts'
import type { OutboxKind, OutboxPayload, OutboxTaskKind, OutboxTaskPayload } from '../../jobs/index.ts'

type Payload<K> = K extends OutboxKind ? OutboxPayload<K> : K extends OutboxTaskKind ? OutboxTaskPayload<K> : never

/** The channel on which a commit wakes the relays (workers/ticker.ts) instead of their next poll. */
export const WAKE_CHANNEL = 'outbox'

/** Written in the caller's transaction, so the request and the change commit or fail together. */
export function enqueue<K extends OutboxKind | OutboxTaskKind>(trx: Trx, kind: K, payload: Payload<K>) {
  return trx
    .insertInto('outbox')
    .values({ kind, payload: JSON.stringify(payload) })
    .returning('id')
    .executeTakeFirstOrThrow()
}

/**
 * Wakes the relays when this transaction commits: for an alert, whose fan-out should not wait
 * for the next poll. Emails do not: NOTIFY serialises the commits that carry it, and signing
 * commits hundreds of times a second.
 */
export async function wakeRelay(trx: Trx) {
  await sql`select pg_notify(${WAKE_CHANNEL}, '')`.execute(trx)
}

/** Locks up to `limit` unrelayed rows; other relays skip them. */
export function lockUnrelayed(trx: Trx, limit: number) {
  return trx
    .selectFrom('outbox')
    .select(['id', 'kind', 'payload'])
    .where('relayed_at', 'is', null)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute()
}

export function markRelayed(trx: Trx, ids: string[]) {
  return trx
    .updateTable('outbox')
    .set({ relayed_at: sql<Date>`now()` })
    .where('id', 'in', ids)
    .execute()
}

export function find(db: Db, id: string) {
  return db.selectFrom('outbox').select(['id', 'kind', 'payload', 'done_at']).where('id', '=', id).executeTakeFirst()
}

/** Records what a row turned out to ask for (a repeat signature, once the worker decided). */
export function setKind(trx: Trx, id: string, kind: OutboxKind) {
  return trx.updateTable('outbox').set({ kind }).where('id', '=', id).execute()
}

export function markDone(db: Db | Trx, id: string) {
  return db
    .updateTable('outbox')
    .set({ done_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute()
}

/** For the metrics: the age in seconds of the oldest row not yet relayed (0: none), and the count deltas not yet folded. */
export async function backlogOf(db: Db) {
  const { rows } = await sql<{ oldest: number; deltas: number }>`
    select coalesce(extract(epoch from now() - (select min(created_at) from outbox where relayed_at is null)), 0)::float8
             as oldest,
           (select count(*) from signature_count_deltas)::int as deltas`.execute(db)
  return rows[0] ?? { oldest: 0, deltas: 0 }
}

/**
 * Rows not done: how many are still waiting to be relayed, and how many were relayed an hour ago or
 * more and never finished. A webhook delivery retries for a day by design (its endpoint may be
 * down), so it is not stuck: the console's webhook pages show those.
 */
export async function notDone(db: Db) {
  const { rows } = await sql<{ unrelayed: number; stuck: number }>`
    select count(*) filter (where relayed_at is null)::int as unrelayed,
           count(*) filter (where relayed_at < now() - interval '1 hour' and kind <> 'webhook.deliver')::int as stuck
      from outbox where done_at is null`.execute(db)
  return rows[0] ?? { unrelayed: 0, stuck: 0 }
}
