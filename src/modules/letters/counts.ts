// Letters supporters say they sent themselves: a counter per campaign and nothing else, so that
// no row, time or address says who wrote.
import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'

export interface LetterCounts {
  /** "I sent it myself" clicks. */
  selfSent: number
}

/** One more letter sent by a supporter themselves. */
export async function countSelfSent(db: Db, campaignId: string): Promise<void> {
  await db
    .insertInto('campaign_letter_counts')
    .values({ campaign_id: campaignId, self_sent: 1 })
    .onConflict((oc) =>
      oc.column('campaign_id').doUpdateSet({
        self_sent: sql`campaign_letter_counts.self_sent + 1`,
        updated_at: sql`now()`,
      }),
    )
    .execute()
}

export async function letterCountsOf(db: Db, campaignId: string): Promise<LetterCounts> {
  const row = await db
    .selectFrom('campaign_letter_counts')
    .select('self_sent')
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst()
  return { selfSent: Number(row?.self_sent ?? 0) }
}
