// A target's letters as one email a day, when an organizer switched it so (issue 15, point 3).
// A confirmed letter's send joins the target's open bundle for the day (UTC); after the day ends
// the maintenance worker closes the bundle, in one transaction with its outbox row, and the mail
// worker sends it once: a bundle is unique per (target, day) and leaves 'queued' with its outbox
// row done, so a worker killed and restarted neither loses nor repeats one.
import type { Db } from '../../db/index.ts'
import { notFound } from '../../errors.ts'
import { record, type OrganizerActor } from '../audit/service.ts'
import * as outbox from '../outbox/repository.ts'
import * as bundles from './bundles-repository.ts'
import * as sends from './sends-repository.ts'

/** Closes every bundle whose day is over and queues its email; how many. Safe to run at once in several workers. */
export function closeLetterBundles(db: Db): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const ids = await bundles.closeDue(trx)
    for (const bundleId of ids) await outbox.enqueue(trx, 'letter.bundle', { bundleId })
    return ids.length
  })
}

/** Switches a target's letters to one email a day, or back to one email each; audited. */
export async function setLetterBundle(db: Db, actor: OrganizerActor, targetId: string, on: boolean) {
  await db.transaction().execute(async (trx) => {
    const target = await bundles.setLetterBundle(trx, targetId, on)
    if (!target) throw notFound()
    await record(trx, actor, 'target.letters', { type: 'target', id: targetId }, { dailyBundle: on })
  })
}

/** What the mail worker writes from: undefined when there is nothing to send. */
export async function bundleToSend(db: Db, bundleId: string) {
  const bundle = await bundles.findBundle(db, bundleId)
  if (!bundle || bundle.status !== 'queued' || !bundle.target_email || bundle.archived_at || bundle.bounced_at)
    return undefined
  const letters = await bundles.lettersOf(db, bundleId)
  return letters.length ? { bundle, letters } : undefined
}

/** The email went: its letters sent and counted on their campaigns, with the outbox row done, together. */
export function markBundleSent(db: Db, bundleId: string, outboxId: string, sendIds: readonly string[]) {
  return db.transaction().execute(async (trx) => {
    const sent = await bundles.settleSends(trx, bundleId, 'sent', sendIds)
    if (await bundles.settleBundle(trx, bundleId, 'sent', sent.length))
      for (const s of sent) await sends.countSent(trx, s.letter_id)
    await outbox.markDone(trx, outboxId)
  })
}

/** Refused for good (5xx): the target's letters stop, as for a single letter. */
export function markBundleBounced(db: Db, bundleId: string, outboxId: string) {
  return db.transaction().execute(async (trx) => {
    await bundles.settleSends(trx, bundleId, 'bounced')
    const bundle = await bundles.findBundle(trx, bundleId)
    if ((await bundles.settleBundle(trx, bundleId, 'bounced', null)) && bundle)
      await sends.markBounced(trx, bundle.target_id)
    await outbox.markDone(trx, outboxId)
  })
}

/** Nothing to send, or never to this address (archived, bounced, suppressed). */
export function markBundleStopped(db: Db, bundleId: string, outboxId: string) {
  return db.transaction().execute(async (trx) => {
    await bundles.settleSends(trx, bundleId, 'stopped')
    await bundles.settleBundle(trx, bundleId, 'stopped', 0)
    await outbox.markDone(trx, outboxId)
  })
}
