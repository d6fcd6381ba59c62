import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'

/** Delta rows folded per statement: a backlog (workers down during a viral hour) drains in steps. */
const FLUSH_BATCH = 50_000

/**
 * Folds the appended count deltas into campaigns.signature_count, FLUSH_BATCH rows per
 * statement until none are left; answers how many delta rows it folded. Confirmations only
 * ever INSERT a delta row, so a viral campaign never queues on its counter row; each statement
 * touches each campaign row once. Concurrent flushers are safe: they lock disjoint delta rows
 * (SKIP LOCKED), and a row is deleted, and so counted, by exactly one of them. In batches, so
 * that a backlog of millions never makes one statement outlast the statement timeout, fail and
 * roll back at every tick while it only grows.
 */
export async function flushCounts(db: Db, batch = FLUSH_BATCH): Promise<number> {
  let folded = 0
  for (;;) {
    const { rows } = await sql<{ rows: string }>`
      with drained as (
        delete from signature_count_deltas
        where id in (select id from signature_count_deltas limit ${batch} for update skip locked)
        returning campaign_id, delta
      ), totals as (
        select campaign_id, sum(delta) as n, count(*) as rows from drained group by campaign_id
      )
      update campaigns c set signature_count = c.signature_count + totals.n
      from totals where c.id = totals.campaign_id
      returning totals.rows::text`.execute(db)
    const n = rows.reduce((sum, r) => sum + Number(r.rows), 0)
    folded += n
    if (n < batch) return folded
  }
}
