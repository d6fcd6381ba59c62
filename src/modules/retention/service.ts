// Short retention: personal data nobody needs any more is deleted, hourly, by the maintenance
// worker. A confirmed signature is the petition and stays; so does an active subscriber.
import type { Db } from '../../db/index.ts'
import { forgetExpired as forgetExpiredErasureRequests } from '../erasure/repository.ts'
import * as retention from './repository.ts'

/** Rows per statement: a backlog of millions is worked off without holding locks for long. */
export const PURGE_BATCH = 5000

export interface Purged {
  signatures: number
  subscribersDeleted: number
  subscribersErased: number
  suppressionDetails: number
  outbox: number
  erasureRequests: number
}

/**
 * Forgets, `retentionDays` after they stopped serving anyone: unconfirmed signatures (after their
 * link expired), subscribers who never confirmed or who left, the SMTP answers kept with
 * suppressions, and relayed outbox rows; and the address of an erasure request whose link
 * expired unused. Returns counts only.
 */
export async function purgeStale(db: Db, retentionDays: number, batchSize = PURGE_BATCH): Promise<Purged> {
  const purged: Purged = { signatures: 0, subscribersDeleted: 0, subscribersErased: 0, suppressionDetails: 0, outbox: 0, erasureRequests: 0 }
  purged.signatures = await inBatches(batchSize, () => retention.deleteUnconfirmedSignatures(db, retentionDays, batchSize))
  await inBatches(batchSize, async () => {
    const { deleted, erased } = await retention.forgetLeftSubscribers(db, retentionDays, batchSize)
    purged.subscribersDeleted += deleted
    purged.subscribersErased += erased
    return deleted + erased
  })
  purged.suppressionDetails = await inBatches(batchSize, () => retention.clearSuppressionDetails(db, retentionDays, batchSize))
  purged.outbox = await inBatches(batchSize, () => retention.deleteRelayedOutbox(db, retentionDays, batchSize))
  // An erasure link nobody pressed: its request keeps no address past the link's own day.
  purged.erasureRequests = await forgetExpiredErasureRequests(db)
  return purged
}

/** Runs one batch after another, each its own statement, until one comes back short. */
async function inBatches(batchSize: number, batch: () => Promise<number>): Promise<number> {
  let total = 0
  for (;;) {
    const n = await batch()
    total += n
    if (n < batchSize) return total
  }
}
