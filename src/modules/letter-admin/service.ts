// What an organizer sees of a campaign's queued letters, and holding or dropping those from one
// network or email domain, as signatures are invalidated in bulk (signature-admin). A held letter
// is not sent until its hold is released; a dropped one is never sent. Each action is audited.
import type { Config } from '../../config.ts'
import type { Db } from '../../db/index.ts'
import { AppError, notFound } from '../../errors.ts'
import { record, type OrganizerActor } from '../audit/service.ts'
import * as outbox from '../outbox/repository.ts'
import { ipFingerprint, maskEmail } from '../signature-admin/service.ts'
import { openBundle } from '../platform-letters/bundles-repository.ts'
import * as holds from './repository.ts'
import * as sends from '../platform-letters/sends-repository.ts'

export type { HoldFilter } from './repository.ts'

const SAMPLE = 20

/** The latest queued letters (masked), the counts, and the holds so far. */
export async function letterQueue(db: Db, campaignId: string) {
  const [rows, counts, history] = await Promise.all([
    holds.sample(db, campaignId, SAMPLE),
    holds.counts(db, campaignId),
    holds.listHolds(db, campaignId, 20),
  ])
  return {
    counts,
    sample: rows.map((r) => ({
      id: r.id,
      name: r.name,
      email: maskEmail(r.email_key),
      network: ipFingerprint(r.ip_hash),
      country: r.country,
      confirmedAt: r.confirmed_at,
      excerpt: r.body ? r.body.slice(0, 80) : null,
      queuedSends: r.queued_sends ?? 0,
    })),
    holds: history,
  }
}

/** What the hold row and the audit keep of a filter: the letter it took the network of, or the domain. */
function describe(f: holds.HoldFilter): Record<string, string> {
  return {
    ...(f.sameNetworkAs ? { sameNetworkAs: f.sameNetworkAs } : {}),
    ...(f.emailDomain ? { emailDomain: f.emailDomain } : {}),
  }
}

/** Holds or drops every queued letter of the campaign that matches; how many. */
export async function holdLetters(
  db: Db,
  actor: OrganizerActor,
  campaign: { id: string; slug: string },
  filter: holds.HoldFilter,
  action: 'hold' | 'drop',
): Promise<number> {
  if (!filter.sameNetworkAs && !filter.emailDomain)
    throw new AppError('invalid_input', { emailDomain: 'console.letterQueue.needFilter' })
  return db.transaction().execute(async (trx) => {
    const ids = (await holds.lockMatching(trx, campaign.id, filter)).map((r) => r.id)
    if (ids.length === 0) throw new AppError('invalid_input', { emailDomain: 'console.letterQueue.noneMatched' })
    const hold = await holds.insertHold(trx, {
      campaignId: campaign.id,
      organizerId: actor.id,
      action,
      filter: describe(filter),
      hit: ids.length,
    })
    await holds.markHeld(trx, ids, hold.id)
    if (action === 'drop') await holds.stopSends(trx, ids)
    await record(
      trx,
      actor,
      `letters.${action}`,
      { type: 'letter_hold', id: hold.id },
      {
        campaign: campaign.slug,
        filter: Object.keys(describe(filter)),
        hit: ids.length,
      },
    )
    return ids.length
  })
}

/**
 * Lets a hold's letters go: each waiting send goes as it would have (in the target's open bundle
 * of the day, or alone at the target's next turn), unless its own job is still to run.
 */
export async function releaseHold(
  db: Db,
  config: Pick<Config, 'letterRatePerHour'>,
  actor: OrganizerActor,
  campaign: { id: string; slug: string },
  holdId: string,
) {
  return db.transaction().execute(async (trx) => {
    const hold = await holds.lockHold(trx, campaign.id, holdId)
    if (!hold || hold.action !== 'hold') throw notFound()
    if (hold.released_at) throw new AppError('conflict', undefined, 'console.letterQueue.alreadyReleased')
    const waiting = await holds.release(trx, holdId, actor.id)
    for (const s of waiting) {
      if (s.bundle_status === 'open' || s.bundle_status === 'queued' || s.job_pending) continue
      if (s.letter_bundle) {
        await holds.setBundle(trx, s.id, await openBundle(trx, s.target_id))
        continue
      }
      const rate = config.letterRatePerHour
      await holds.setTurn(trx, s.id, rate === 0 ? 'now' : await sends.takeTurn(trx, s.target_id, 3600 / rate))
      await outbox.enqueue(trx, 'letter.send', { sendId: s.id })
    }
    await record(
      trx,
      actor,
      'letters.release',
      { type: 'letter_hold', id: holdId },
      { campaign: campaign.slug, released: waiting.length },
    )
    return waiting.length
  })
}
