// A confirmed letter's emails to the campaign's targets: scheduled once per target, in order, at
// most LETTER_RATE_PER_HOUR to a target an hour, and stopped for good at a target whose mail
// server refused one (a 5xx). The mail worker sends them through the outbox like every email.
import type { Config } from '../../config.ts'
import type { Db, Trx } from '../../db/index.ts'
import * as outbox from '../outbox/repository.ts'
import { openBundle } from './bundles-repository.ts'
import * as sends from './sends-repository.ts'

/**
 * Queues the letter to each target the platform can write to (to one that takes a daily bundle,
 * in its bundle of the day), each at the target's next turn:
 * turns are 3600 / LETTER_RATE_PER_HOUR seconds apart, so a target gets at most that many an
 * hour, and a burst waits in the order it was confirmed. In the confirmation's transaction.
 */
export async function scheduleSends(
  trx: Trx,
  config: Pick<Config, 'letterRatePerHour'>,
  letterId: string,
  campaignId: string,
) {
  const rate = config.letterRatePerHour
  for (const target of await sends.writableTargets(trx, campaignId)) {
    if (target.letter_bundle) {
      // One email a day for this target (bundles.ts): no turn, no email of its own.
      await sends.insert(trx, letterId, target.id, 'now', await openBundle(trx, target.id))
      continue
    }
    const turn = rate === 0 ? 'now' : await sends.takeTurn(trx, target.id, 3600 / rate)
    const id = await sends.insert(trx, letterId, target.id, turn)
    if (id) await outbox.enqueue(trx, 'letter.send', { sendId: id })
  }
}

/**
 * 'go'; 'drop' when there is nothing to send now (sent, stopped, held, its target bounced or gone),
 * its outbox row then done; else the ms until its turn. The letter's row is locked while this
 * decides: an organizer's release (letter-admin's releaseHold) waits for a job that drops a held
 * send to finish, and then sees no job pending and queues one; a release first, and the send goes.
 */
export async function turnOf(db: Db, sendId: string, outboxId: string): Promise<'go' | 'drop' | number> {
  return db.transaction().execute(async (trx) => {
    const found = await sends.findTurn(trx, sendId)
    const drop = async () => {
      await outbox.markDone(trx, outboxId)
      return 'drop' as const
    }
    if (!found || found.status !== 'queued') return drop()
    // Held by an organizer (letter-admin): this job ends; the send waits, queued, for the release.
    if (found.hold_id) return drop()
    if (found.bounced_at || found.archived_at || !found.email) {
      await sends.settle(trx, sendId, 'stopped')
      return drop()
    }
    return found.wait_ms > 0 ? found.wait_ms : ('go' as const)
  })
}

/** The email went: counted on the campaign, with its outbox row done, together. */
export function markSent(db: Db, sendId: string, outboxId: string) {
  return db.transaction().execute(async (trx) => {
    const settled = await sends.settle(trx, sendId, 'sent')
    if (settled) await sends.countSent(trx, settled.letter_id)
    await outbox.markDone(trx, outboxId)
  })
}

/** The target's server refused it for good: no further letters to that target, until its email changes. */
export function markBounced(db: Db, sendId: string, outboxId: string) {
  return db.transaction().execute(async (trx) => {
    const settled = await sends.settle(trx, sendId, 'bounced')
    if (settled) await sends.markBounced(trx, settled.target_id)
    await outbox.markDone(trx, outboxId)
  })
}

/** Not sent and never will be (the target's address is suppressed). */
export function markStopped(db: Db, sendId: string, outboxId: string) {
  return db.transaction().execute(async (trx) => {
    await sends.settle(trx, sendId, 'stopped')
    await outbox.markDone(trx, outboxId)
  })
}
