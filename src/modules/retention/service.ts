// Short retention: personal data nobody needs any more is deleted, hourly, by the maintenance
// worker. A confirmed signature is the petition and stays; so does an active subscriber, and a
// confirmed letter (sent in the supporter's name).
import type { Config } from '../../config.ts'
import type { Db } from '../../db/index.ts'
import { record, type Actor } from '../audit/service.ts'
import { addressHash } from '../email-key.ts'
import { forgetExpired as forgetExpiredErasureRequests } from '../erasure/repository.ts'
import * as retention from './repository.ts'

/** Rows per statement: a backlog of millions is worked off without holding locks for long. */
export const PURGE_BATCH = 5000

export interface Purged {
  signatures: number
  letters: number
  subscribersDeleted: number
  subscribersErased: number
  suppressionDetails: number
  ipHashes: number
  outbox: number
  erasureRequests: number
}

/**
 * Forgets, `retentionDays` after they stopped serving anyone: unconfirmed signatures (after their
 * link expired), subscribers who never confirmed or who left, the SMTP answers kept with
 * suppressions, and relayed outbox rows; and the address of an erasure request whose link
 * expired unused; unconfirmed letter requests as unconfirmed signatures. Returns counts only, and records them in the audit log when any is not zero.
 */
export async function purgeStale(
  db: Db,
  actor: Actor,
  config: Pick<Config, 'pendingRetentionDays' | 'ipHashDays' | 'secretKey'>,
  batchSize = PURGE_BATCH,
): Promise<Purged> {
  const retentionDays = config.pendingRetentionDays
  const purged: Purged = {
    signatures: 0,
    letters: 0,
    subscribersDeleted: 0,
    subscribersErased: 0,
    suppressionDetails: 0,
    ipHashes: 0,
    outbox: 0,
    erasureRequests: 0,
  }
  // Each batch commits on its own so that no lock is held for long; the audit row counts what
  // was committed, also when a later batch fails.
  try {
    // First, so that a bounce or complaint whose subscriber goes below keeps its hash.
    await inBatches(batchSize, () =>
      retention.hashSuppressions(db, (key) => addressHash(config.secretKey, key), batchSize),
    )
    purged.signatures = await inBatches(batchSize, () =>
      retention.deleteUnconfirmedSignatures(db, retentionDays, batchSize),
    )
    purged.letters = await inBatches(batchSize, () => retention.deleteUnconfirmedLetters(db, retentionDays, batchSize))
    await inBatches(batchSize, async () => {
      const { deleted, erased } = await retention.forgetLeftSubscribers(db, retentionDays, batchSize)
      purged.subscribersDeleted += deleted
      purged.subscribersErased += erased
      return deleted + erased
    })
    purged.suppressionDetails = await inBatches(batchSize, () =>
      retention.clearSuppressionDetails(db, retentionDays, batchSize),
    )
    purged.ipHashes = await inBatches(batchSize, () => retention.dropOldIpHashes(db, config.ipHashDays, batchSize))
    purged.ipHashes += await inBatches(batchSize, () =>
      retention.dropOldLetterIpHashes(db, config.ipHashDays, batchSize),
    )
    purged.outbox = await inBatches(batchSize, () => retention.deleteRelayedOutbox(db, retentionDays, batchSize))
    // An erasure link nobody pressed: its request keeps no address past the link's own day.
    purged.erasureRequests = await forgetExpiredErasureRequests(db)
  } finally {
    if (Object.values(purged).some((n) => n > 0)) {
      await record(
        db,
        actor,
        'retention.purge',
        { type: 'personal_data' },
        { retentionDays, ipHashDays: config.ipHashDays, ...purged },
      )
    }
  }
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
