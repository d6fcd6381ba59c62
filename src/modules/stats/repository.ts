import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'

// Counted signatures only: confirmed, and not held for an organizer's review.

export function confirmedByCountry(db: Db, campaignId: string) {
  return db
    .selectFrom('signatures')
    .select(['country', sql<number>`count(*)::int`.as('count')])
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'confirmed')
    .where('held', '=', false)
    .groupBy('country')
    .execute()
}

export function confirmedByHour(db: Db, campaignId: string) {
  return db
    .selectFrom('signatures')
    .select([sql<Date>`date_trunc('hour', confirmed_at, 'UTC')`.as('at'), sql<number>`count(*)::int`.as('count')])
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'confirmed')
    .where('held', '=', false)
    .groupBy(sql`1`)
    .orderBy(sql`1`)
    .execute()
}
