import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'

/**
 * Folds the appended count deltas into campaigns.signature_count in one statement.
 * Confirmations only ever INSERT a delta row, so a viral campaign never queues on its
 * counter row; this runs once per tick and touches each campaign row once. Concurrent
 * flushers are safe: a delta row is deleted, and so counted, by exactly one of them.
 */
export async function flushCounts(db: Db): Promise<number> {
  const result = await sql<{ id: string }>`
    with drained as (
      delete from signature_count_deltas returning campaign_id, delta
    ), totals as (
      select campaign_id, sum(delta) as n from drained group by campaign_id
    )
    update campaigns c set signature_count = c.signature_count + totals.n
    from totals where c.id = totals.campaign_id
    returning c.id`.execute(db)
  return result.rows.length
}
