import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'

/** Delta rows folded per statement: a backlog (workers down during a viral hour) drains in steps. */
const FLUSH_BATCH = 50_000
/** Statements per call: the rest waits for the next tick, so a shutdown never waits on a backlog. */
const FLUSH_BATCHES_PER_CALL = 10
/** Held by the flusher at work (an advisory lock), so that every other one skips its turn. */
export const FLUSH_LOCK = 0x75616364 // 'uacd'

/**
 * Folds the appended count deltas into campaigns.signature_count, `batch` rows per statement
 * until none are left or `batches` statements have run; answers how many delta rows it folded.
 * Confirmations only ever INSERT a delta row, so a viral campaign never queues on its counter
 * row; each statement touches each campaign row once. One flusher at a time: each batch takes an advisory lock
 * first, and a flusher that finds it taken stops, leaving the backlog to the one at work (two
 * updating the same campaign rows at once could deadlock). In batches, so that a backlog of
 * millions never makes one statement outlast the statement timeout, roll back, and fail at
 * every tick while it only grows.
 */
export async function flushCounts(db: Db, batch = FLUSH_BATCH, batches = FLUSH_BATCHES_PER_CALL): Promise<number> {
  let folded = 0
  for (let i = 0; i < batches; i++) {
    const n = await db.transaction().execute(async (trx) => {
      const { rows: lock } = await sql<{
        held: boolean
      }>`select pg_try_advisory_xact_lock(${FLUSH_LOCK}) as held`.execute(trx)
      if (!lock[0]!.held) return 0
      const { rows } = await sql<{ rows: string }>`
        with drained as (
          delete from signature_count_deltas
          where id in (select id from signature_count_deltas order by id limit ${batch})
          returning campaign_id, delta
        ), totals as (
          select campaign_id, sum(delta) as n, count(*) as rows from drained group by campaign_id
        )
        update campaigns c set signature_count = c.signature_count + totals.n
        from totals where c.id = totals.campaign_id
        returning totals.rows::text`.execute(trx)
      return rows.reduce((sum, r) => sum + Number(r.rows), 0)
    })
    folded += n
    if (n < batch) break
  }
  return folded
}
