// The review queue: signatures kept without the signing form's proof of work (no JavaScript, from
// a network past its budget). Accepting one counts it if it is confirmed, or once it is; rejecting
// invalidates it as a batch of its own, which the campaign page can undo (back into the queue).
import type { Config } from '../../config.ts'
import type { Db } from '../../db/index.ts'
import { AppError } from '../../errors.ts'
import { record, type OrganizerActor } from '../audit/service.ts'
import { pageOf } from '../paging.ts'
import { addCountDelta } from '../signatures/repository.ts'
import { subscribeSigner } from '../subscribers/service.ts'
import * as sigs from './repository.ts'
import * as held from './review-repository.ts'
import { campaignOf, ipFingerprint, maskEmail } from './service.ts'
import { confirmWithSignature } from '../platform-letters/service.ts'

export function countHeld(db: Db, campaignId: string) {
  return held.countHeld(db, campaignId)
}

export async function reviewQueue(db: Db, slug: string, page: number) {
  const campaign = await campaignOf(db, slug)
  const p = pageOf(page, await held.countHeld(db, campaign.id))
  const rows = await held.pageHeld(db, campaign.id, p.size, p.offset)
  return {
    campaign,
    ...p,
    rows: rows.map((r) => ({
      id: r.id,
      name: r.name,
      email: maskEmail(r.email_key),
      country: r.country,
      comment: r.comment,
      status: r.status,
      network: ipFingerprint(r.ip_hash),
      createdAt: r.created_at,
      confirmedAt: r.confirmed_at,
    })),
  }
}

export type ReviewDecision = 'accept' | 'reject'

/** Accepts or rejects the given held signatures; those no longer held are left as they are. */
export async function decideHeld(
  db: Db,
  config: Pick<Config, 'secretKey' | 'letterRatePerHour'>,
  actor: OrganizerActor,
  slug: string,
  ids: string[],
  decision: ReviewDecision,
) {
  const campaign = await campaignOf(db, slug)
  if (ids.length === 0) throw new AppError('invalid_input', { _: 'console.review.none' })
  return db.transaction().execute(async (trx) => {
    const rows = await held.lockHeld(trx, campaign.id, ids)
    if (rows.length === 0) return { decided: 0, confirmed: 0 }
    const rowIds = rows.map((r) => r.id)
    const confirmed = rows.filter((r) => r.status === 'confirmed').length
    let object = { type: 'campaign', id: campaign.id }
    if (decision === 'accept') {
      await held.release(trx, rowIds)
      if (confirmed) await addCountDelta(trx, campaign.id, confirmed)
      // Alerts, and a letter asked for with the signature, waited at confirmation for this accept
      // (see signatures' confirm).
      for (const r of rows) {
        if (r.status !== 'confirmed') continue
        if (r.wants_alerts)
          await subscribeSigner(trx, config, { email: r.email, locale: r.locale, campaignId: campaign.id })
        await confirmWithSignature(trx, config, campaign.id, r.email_key)
      }
    } else {
      // Still held: an undo puts them back in the queue, not in the count.
      const batch = await sigs.insertInvalidation(trx, {
        campaignId: campaign.id,
        organizerId: actor.id,
        filter: { review: 'rejected' },
        hit: rows.length,
      })
      await sigs.markInvalidated(trx, rowIds, batch.id)
      object = { type: 'invalidation', id: batch.id }
    }
    await record(trx, actor, `signatures.${decision}`, object, {
      campaign: campaign.slug,
      signatures: rows.length,
      confirmed,
    })
    return { decided: rows.length, confirmed }
  })
}
