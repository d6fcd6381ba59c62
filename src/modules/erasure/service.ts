// Self-service erasure. Anyone may ask for an address; only its mailbox gets the link, and only
// if we hold something for it; the link's page shows a button whose POST erases, in one
// transaction, every signature, letter request and the subscriber of that address.
import type { Config } from '../../config.ts'
import type { Db } from '../../db/index.ts'
import { randomNonce, verifyConfirmToken } from '../../security.ts'
import { completeDrainedAlerts } from '../alerts/complete.ts'
import * as outbox from '../outbox/repository.ts'
import { emailKey } from '../email-key.ts'
import { addCountDelta } from '../signatures/repository.ts'
import { keepSuppressionWithoutAddress } from '../subscribers/repository.ts'
import * as erasure from './repository.ts'

export const ERASE_PURPOSE = 'erasure'
/** Shorter than a confirm link: this one destroys, and cannot be undone. */
export const LINK_HOURS = 24

/**
 * Asks for an erasure link. The same one statement for every address, held or not: the caller
 * learns nothing from the answer or its timing. The mail worker decides (`resolveRequest`).
 */
export async function requestErasure(db: Db, email: string) {
  await erasure.insertWithOutbox(db, {
    emailKey: emailKey(email),
    nonce: randomNonce(),
    expiresAt: new Date(Date.now() + LINK_HOURS * 3_600_000),
  })
}

/**
 * What a request gets, decided by the mail worker and written onto its outbox row, so that a
 * retried job sends what was decided. Only an address we hold something for gets the link:
 * mailing every address typed into the form would let anyone make us write to strangers, and
 * not mailing tells the requester nothing (the answer was the same; only the mailbox sees the
 * difference). Within the email cooldown of an earlier link, nothing: that link still works.
 * A request that sends nothing is deleted with its address.
 */
export async function resolveRequest(
  db: Db,
  config: Config,
  outboxId: string,
  requestId: string,
): Promise<'erasure.link' | undefined> {
  await erasure.forgetExpired(db)
  return db.transaction().execute(async (trx) => {
    const request = await erasure.find(trx, requestId)
    const key = request?.email_key
    if (!request || !key || request.used_at) {
      await outbox.markDone(trx, outboxId)
      return undefined
    }
    const open = await erasure.lockOpenForAddress(trx, key, config.emailCooldownSeconds)
    const stillOpen = open.some((r) => r.id === request.id)
    const coveredByEarlier = open.some((r) => r.id !== request.id && r.recently_emailed)
    if (!stillOpen || coveredByEarlier || !(await erasure.recipientFor(trx, key))) {
      if (stillOpen) await erasure.remove(trx, request.id)
      await outbox.markDone(trx, outboxId)
      return undefined
    }
    await erasure.markEmailed(trx, request.id)
    await outbox.setKind(trx, outboxId, 'erasure.link')
    return 'erasure.link'
  })
}

export type ErasureLinkState = 'ready' | 'used' | 'expired' | 'invalid'

export function erasureLinkState(
  row: { email_key: string | null; expires_at: Date; used_at: Date | null } | undefined,
): ErasureLinkState {
  if (!row) return 'invalid'
  if (row.used_at) return 'used'
  if (row.expires_at.getTime() <= Date.now()) return 'expired'
  return row.email_key ? 'ready' : 'invalid'
}

/** What an erasure link points at, read-only: the page a GET shows. */
export async function inspectLink(db: Db, config: Config, token: string): Promise<ErasureLinkState> {
  const nonce = verifyConfirmToken(config.secretKey, ERASE_PURPOSE, token)
  return nonce ? erasureLinkState(await erasure.findByNonce(db, nonce)) : 'invalid'
}

/**
 * Erases, once, in one transaction: the address's signatures (pending, confirmed, invalidated;
 * every campaign), its letter requests with their unsent letters, and its subscriber with topics,
 * deliveries, digests and an unsubscribe. A bounce or complaint stays, as the address's keyed hash only, so that we never write to it. A
 * confirmed signature leaves its campaign's count through a negative delta (unless held for
 * review: it was never counted), as an invalidation does, never an update of the counter row.
 */
export async function erase(
  db: Db,
  config: Config,
  token: string,
): Promise<'erased' | Exclude<ErasureLinkState, 'ready'>> {
  const nonce = verifyConfirmToken(config.secretKey, ERASE_PURPOSE, token)
  if (!nonce) return 'invalid'
  const outcome = await db.transaction().execute(async (trx) => {
    const found = await erasure.findByNonce(trx, nonce)
    const foundState = erasureLinkState(found)
    if (foundState !== 'ready') return { state: foundState }
    const key = found!.email_key!
    // Every open request of the address, locked in id order as resolveRequest locks them: two
    // links of one address pressed together wait for each other instead of deadlocking. Then
    // this one again, as the other may have erased meanwhile.
    await erasure.lockOpenForAddress(trx, key, 0)
    const state = erasureLinkState(await erasure.findByNonce(trx, nonce))
    if (state !== 'ready') return { state }
    const removed = await erasure.deleteSignatures(trx, key)
    const confirmedBy = new Map<string, number>()
    for (const s of removed) {
      if (s.status === 'confirmed' && !s.held) confirmedBy.set(s.campaign_id, (confirmedBy.get(s.campaign_id) ?? 0) + 1)
    }
    for (const [campaignId, n] of confirmedBy) await addCountDelta(trx, campaignId, -n)
    // A letter not yet sent is not sent; one sent stays with its target, who never had the address.
    await erasure.deleteLetters(trx, key)
    const alertIds = await erasure.alertsAwaiting(trx, key)
    await keepSuppressionWithoutAddress(trx, config.secretKey, key)
    await erasure.deleteSubscriber(trx, key)
    await erasure.closeRequests(trx, key)
    return { state: 'erased' as const, alertIds }
  })
  // The subscriber's unsent deliveries went with it: an alert they were the last of is done now,
  // and no later batch would notice (it marks done the alerts of the deliveries it settles).
  for (const id of outcome.alertIds ?? []) await completeDrainedAlerts(db, { alertId: id })
  return outcome.state
}
