import { sql } from 'kysely'
import type { Db, Trx } from '../../db/index.ts'

// SQL for the review queue: signatures held for review (signatures.held), not invalidated.

function heldQuery(db: Db, campaignId: string) {
  return db
    .selectFrom('signatures')
    .where('campaign_id', '=', campaignId)
    .where('held', '=', true)
    .where('status', '!=', 'invalidated')
}

export async function countHeld(db: Db, campaignId: string) {
  const row = await heldQuery(db, campaignId)
    .select(sql<string>`count(*)`.as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** What the queue may show; the address and IP hash are masked by the service. */
export function pageHeld(db: Db, campaignId: string, limit: number, offset: number) {
  return heldQuery(db, campaignId)
    .select(['id', 'name', 'email_key', 'country', 'comment', 'status', 'ip_hash', 'created_at', 'confirmed_at'])
    .orderBy('id')
    .limit(limit)
    .offset(offset)
    .execute()
}

/** The given signatures of the campaign that are still held and not invalidated, locked. */
export function lockHeld(trx: Trx, campaignId: string, ids: string[]) {
  return trx
    .selectFrom('signatures')
    .select(['id', 'status', 'wants_alerts', 'email', 'email_key', 'locale'])
    .where('campaign_id', '=', campaignId)
    .where(sql<boolean>`id = any(${ids}::bigint[])`)
    .where('held', '=', true)
    .where('status', '!=', 'invalidated')
    .orderBy('id')
    .forUpdate()
    .execute()
}

export function release(trx: Trx, ids: string[]) {
  return trx
    .updateTable('signatures')
    .set({ held: false })
    .where(sql<boolean>`id = any(${ids}::bigint[])`)
    .execute()
}
