// The petition delivered to a target (issue 15, point 4): an organizer confirms a click, which
// writes one delivery row (unique by the click's key: a double submit or a retried request sends
// one email), its outbox row and its audit row together. The mail worker writes the email from the
// petition as it stands then (present/petition) and records the count it carried; the campaign's
// public timeline shows it once sent. A platform-only target gets it too: the platform sends it.
import type { Db } from '../../db/index.ts'
import { AppError, notFound } from '../../errors.ts'
import { randomSecret } from '../../security.ts'
import { record, type OrganizerActor } from '../audit/service.ts'
import type { CampaignRow } from '../campaigns/repository.ts'
import * as outbox from '../outbox/repository.ts'
import * as stats from '../stats/repository.ts'
import { foldSmallCountries } from '../stats/service.ts'
import * as letterSends from '../platform-letters/sends-repository.ts'
import * as targets from '../targets/repository.ts'
import * as deliveries from './repository.ts'

/** A fresh key for one confirm form: its submits, however many, are one delivery. */
export const newClickKey = () => randomSecret(16)
export const CLICK_KEY = /^[A-Za-z0-9_-]{16,64}$/

/** The petition as it stands, for the confirm page and the email: what the target will read. */
export async function petitionSnapshot(db: Db, campaignId: string) {
  const [countries, signers] = await Promise.all([
    stats.confirmedByCountry(db, campaignId),
    deliveries.publicSigners(db, campaignId),
  ])
  return {
    // Counted from the same rows as the countries, so the two always add up.
    signatureCount: countries.reduce((sum, r) => sum + r.count, 0),
    // Countries under MIN_COUNTRY_COUNT folded into "other", as the public figures are.
    byCountry: foldSmallCountries(countries),
    signers,
  }
}
export type PetitionSnapshot = Awaited<ReturnType<typeof petitionSnapshot>>

export function deliverableTargets(db: Db, campaignId: string) {
  return deliveries.deliverableTargets(db, campaignId)
}

/** The campaign's target the petition can go to, or a 404. */
export async function deliverableTarget(db: Db, campaignId: string, targetId: string) {
  const found = (await deliveries.deliverableTargets(db, campaignId)).find((t) => t.id === targetId)
  if (!found) throw notFound()
  return found
}

export function deliveriesOf(db: Db, campaignId: string) {
  return deliveries.listForCampaign(db, campaignId, 100)
}

/** What the public timeline shows: sent deliveries, the target's name, the count; never an address. */
export function sentDeliveries(db: Db, campaignId: string) {
  return deliveries.sentForCampaign(db, campaignId)
}

/**
 * Queues the petition to a target for one confirmed click. True when this click was new; false
 * when its key was used already (a second submit): nothing more is written or sent.
 */
export async function deliverPetition(
  db: Db,
  actor: OrganizerActor,
  campaign: Pick<CampaignRow, 'id' | 'slug' | 'status'>,
  targetId: string,
  clickKey: string,
): Promise<boolean> {
  if (!CLICK_KEY.test(clickKey)) throw new AppError('invalid_input', { click: 'error.petition.click' })
  if (campaign.status === 'draft') throw new AppError('conflict')
  return db.transaction().execute(async (trx) => {
    // Locked so an archive or an address change in flight settles first.
    const target = await targets.lockActive(trx, targetId)
    const deliverable = (await deliveries.deliverableTargets(trx, campaign.id)).some((t) => t.id === targetId)
    if (!target || !deliverable) throw notFound()
    const row = await deliveries.insert(trx, {
      campaignId: campaign.id,
      targetId,
      clickKey,
      requestedBy: actor.id,
    })
    if (!row) return false
    await outbox.enqueue(trx, 'petition.deliver', { deliveryId: row.id })
    await record(
      trx,
      actor,
      'campaign.petition.deliver',
      { type: 'campaign', id: campaign.id },
      { slug: campaign.slug, targetId, deliveryId: row.id },
    )
    return true
  })
}

/** What the mail worker writes from: undefined when there is nothing to send (sent, stopped, gone). */
export async function deliveryToSend(db: Db, deliveryId: string) {
  const row = await deliveries.findForSend(db, deliveryId)
  if (!row || row.status !== 'queued' || !row.target_email || row.target_archived_at) return undefined
  return row
}

/** The email went: the count it carried kept, with its outbox row done, together. */
export function markSent(db: Db, deliveryId: string, outboxId: string, signatureCount: number) {
  return db.transaction().execute(async (trx) => {
    await deliveries.settle(trx, deliveryId, 'sent', signatureCount)
    await outbox.markDone(trx, outboxId)
  })
}

/** The target's server refused it for good (5xx): no letters to that address either, as for a letter. */
export function markBounced(db: Db, deliveryId: string, outboxId: string) {
  return db.transaction().execute(async (trx) => {
    const settled = await deliveries.settle(trx, deliveryId, 'bounced')
    if (settled) await letterSends.markBounced(trx, settled.target_id)
    await outbox.markDone(trx, outboxId)
  })
}

/** Not sent and never will be (the target archived, its address gone or suppressed). */
export function markStopped(db: Db, deliveryId: string, outboxId: string) {
  return db.transaction().execute(async (trx) => {
    await deliveries.settle(trx, deliveryId, 'stopped')
    await outbox.markDone(trx, outboxId)
  })
}
