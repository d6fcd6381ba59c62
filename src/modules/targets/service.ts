// Targets: the people and bodies a campaign asks to act. Every change, from the API or the console,
// goes through here and is audited in its own transaction. A target is archived, never deleted:
// campaigns and the audit log keep naming it. Its email stays with organizers and the platform's
// letters; what the public sees of a campaign's targets is publicTargets().
import type { Db, Trx } from '../../db/index.ts'
import { AppError, notFound } from '../../errors.ts'
import { record, type Actor } from '../audit/service.ts'
import { TARGET_LIMITS } from './limits.ts'
import * as targets from './repository.ts'

export type { TargetFields, TargetRow } from './repository.ts'

/** What the public may know of a campaign's target. */
export type PublicTarget = Omit<Awaited<ReturnType<typeof targets.publicTargetsOf>>[number], 'campaign_id'>

export async function createTarget(db: Db, actor: Actor, input: targets.TargetFields) {
  return db.transaction().execute(async (trx) => {
    const row = await targets.insert(trx, input, actor.via === 'system' ? null : actor.id)
    await record(trx, actor, 'target.create', { type: 'target', id: row.id }, { name: row.name })
    return row
  })
}

export async function updateTarget(db: Db, actor: Actor, id: string, input: targets.TargetFields) {
  return db.transaction().execute(async (trx) => {
    const current = await targets.lockActive(trx, id)
    if (!current) throw notFound()
    const before: Record<keyof targets.TargetFields, unknown> = {
      name: current.name,
      title: current.title,
      organisation: current.organisation,
      country: current.country,
      locale: current.locale,
      email: current.email,
      postalAddress: current.postal_address,
      website: current.website,
      platformOnly: current.platform_only,
    }
    const fields = (Object.keys(before) as (keyof targets.TargetFields)[]).filter((k) => before[k] !== input[k])
    const row = await targets.update(trx, id, input)
    await record(trx, actor, 'target.update', { type: 'target', id }, { fields })
    return row
  })
}

export async function archiveTarget(db: Db, actor: Actor, id: string) {
  await db.transaction().execute(async (trx) => {
    const gone = await targets.archive(trx, id)
    if (!gone) throw notFound()
    await record(trx, actor, 'target.archive', { type: 'target', id }, { name: gone.name })
  })
}

export async function findTarget(db: Db, id: string) {
  const row = await targets.findActive(db, id)
  if (!row) throw notFound()
  return row
}

/** Every target not archived: more than a console screen holds is more than any campaign names. */
export const listTargets = (db: Db) => targets.listActive(db, 1000)

/**
 * A campaign's targets become `ids`, in that order, inside the caller's transaction. An id that
 * names no target (or an archived one) refuses the whole change, naming the `targets` field.
 */
export async function chooseTargets(trx: Trx, campaignId: string, ids: readonly string[]) {
  const unique = [...new Set(ids)]
  if (unique.length > TARGET_LIMITS.perCampaign) {
    throw new AppError('invalid_input', {
      targets: { key: 'error.tooMany', params: { max: TARGET_LIMITS.perCampaign } },
    })
  }
  const known = await targets.lockActiveIds(trx, unique)
  if (unique.some((id) => !known.has(id))) throw new AppError('invalid_input', { targets: 'error.target.unknown' })
  await targets.setCampaignTargets(trx, campaignId, unique)
  return unique
}

export const campaignTargetIds = targets.campaignTargetIds

/** The public side of each campaign's targets, keyed by campaign id, in each campaign's order. */
export async function publicTargets(db: Db | Trx, campaignIds: readonly string[]) {
  const byCampaign = new Map<string, PublicTarget[]>(campaignIds.map((id) => [id, []]))
  if (campaignIds.length === 0) return byCampaign
  for (const { campaign_id, ...target } of await targets.publicTargetsOf(db, campaignIds)) {
    byCampaign.get(campaign_id)?.push(target)
  }
  return byCampaign
}

/** A way to write to a target oneself: never for a platform-only target, which has none. */
export interface TargetContact {
  email: string | null
  postalAddress: string | null
}

/**
 * How a supporter may write to each of a campaign's targets themselves, by target id: a target
 * that is platform-only (a contact the organisation must not publish) is absent.
 */
export async function publishableContacts(db: Db | Trx, campaignId: string): Promise<Map<string, TargetContact>> {
  const rows = await targets.publishableContactsOf(db, campaignId)
  return new Map(rows.map((r) => [r.id, { email: r.email, postalAddress: r.postal_address }]))
}

/** A target of the demo data, made once: the same organisation and name is taken as already there. */
export async function ensureTarget(db: Db, actor: Actor, input: targets.TargetFields) {
  const existing = await targets.findActiveByName(db, input.organisation, input.name)
  if (existing) return { id: existing.id, created: false }
  const row = await createTarget(db, actor, input)
  return { id: row.id, created: true }
}
