// What an organizer sees of a campaign's signatures, and what they may do with them: counts,
// a masked table, the CSV for the target, and reversible bulk invalidation of fakes.
import type { Db } from '../../db/index.ts'
import type { SignatureStatus } from '../../db/types.ts'
import { AppError, notFound } from '../../errors.ts'
import { sha256 } from '../../security.ts'
import { record, type Actor, type OrganizerActor } from '../audit/service.ts'
import * as campaigns from '../campaigns/repository.ts'
import { keyPageOf, PAGE_SIZE, type KeyRequest } from '../paging.ts'
import { addCountDelta } from '../signatures/repository.ts'
import { CATCH_ALL_ADDRESSES, catchAllDomains } from './catch-all.ts'
import { csvStream, type Cell } from '../csv/writer.ts'
import * as sigs from './repository.ts'

export type { InvalidationFilter, TableFilter } from './repository.ts'

/** The campaign a console signature screen is about, or a 404. */
export async function campaignOf(db: Db, slug: string) {
  const campaign = await campaigns.findBySlug(db, slug)
  if (!campaign) throw notFound()
  return campaign
}

/** k***@example.org: enough to tell two signers apart, not enough to write to them. */
export function maskEmail(emailKey: string): string {
  const at = emailKey.lastIndexOf('@')
  return `${emailKey.slice(0, 1)}***@${emailKey.slice(at + 1)}`
}

/** A short label for a keyed IP hash, so equal networks look equal; it reveals nothing more. */
export function ipFingerprint(ipHash: Buffer | null): string | null {
  return ipHash ? sha256(ipHash.toString('base64')).subarray(0, 4).toString('hex') : null
}

export async function signatureOverview(db: Db, slug: string) {
  const campaign = await campaignOf(db, slug)
  const [byStatus, byCountry, repeated, invalidations] = await Promise.all([
    sigs.countsByStatus(db, campaign.id),
    sigs.countsByCountry(db, campaign.id),
    sigs.repeatedIps(db, campaign.id, 10),
    sigs.listInvalidations(db, campaign.id, 20),
  ])
  const status = { pending: 0, confirmed: 0, invalidated: 0 } as Record<SignatureStatus, number>
  for (const r of byStatus) status[r.status] = Number(r.n)
  return {
    campaign,
    status,
    byCountry: byCountry.map((r) => ({
      country: r.country,
      confirmed: Number(r.confirmed),
      pending: Number(r.pending),
    })),
    repeatedIps: repeated.map((r) => ({
      fingerprint: ipFingerprint(r.ip_hash),
      count: Number(r.n),
      exampleId: r.example_id,
    })),
    invalidations,
  }
}

/** Domains one network signed with many different addresses within an hour: flagged, never blocked. */
export async function catchAllSuspects(db: Db, campaignId: string) {
  const rows = await catchAllDomains(db, campaignId, 20)
  return {
    threshold: CATCH_ALL_ADDRESSES,
    domains: rows.map((r) => ({
      domain: r.domain,
      network: ipFingerprint(r.ip_hash),
      count: Number(r.n),
      firstAt: r.first_at,
      lastAt: r.last_at,
      exampleId: String(r.example_id),
    })),
  }
}

/** One page of a campaign's signatures, newest first, paged by key, with how many match in all. */
export async function signatureTable(db: Db, slug: string, filter: sigs.TableFilter, page: KeyRequest) {
  const campaign = await campaignOf(db, slug)
  const [total, fetched] = await Promise.all([
    sigs.countTable(db, campaign.id, filter),
    sigs.pageTable(db, campaign.id, filter, page, PAGE_SIZE),
  ])
  const p = keyPageOf(fetched, page, PAGE_SIZE, (r) => ({ sort: r.sort_key, id: r.id }))
  return {
    campaign,
    ...p,
    total,
    rows: p.rows.map((r) => ({
      id: r.id,
      name: r.name,
      email: maskEmail(r.email_key),
      country: r.country,
      status: r.status,
      publicName: r.public_name,
      network: ipFingerprint(r.ip_hash),
      createdAt: r.created_at,
      confirmedAt: r.confirmed_at,
    })),
  }
}

export interface InvalidationPreview {
  confirmed: number
  pending: number
  total: number
  /** The highest signature id the preview covered: the apply step is bounded by it. */
  upTo: string
}

export async function previewInvalidation(
  db: Db,
  slug: string,
  filter: sigs.InvalidationFilter,
): Promise<InvalidationPreview> {
  const campaign = await campaignOf(db, slug)
  const upTo = await sigs.maxId(db, campaign.id)
  const counts = await sigs.previewCounts(db, campaign.id, filter, upTo)
  return { ...counts, total: counts.confirmed + counts.pending, upTo }
}

export const SAMPLE_SIZE = 10

/**
 * What an invalidation about to be applied would hit: its numbers and its latest rows, masked as
 * in the table; refused (409) like the apply step when the rows changed since the preview.
 */
export async function invalidationSample(
  db: Db,
  slug: string,
  filter: sigs.InvalidationFilter,
  expected: { total: number; upTo: string },
) {
  const campaign = await campaignOf(db, slug)
  const counts = await sigs.previewCounts(db, campaign.id, filter, expected.upTo)
  const total = counts.confirmed + counts.pending
  if (total !== expected.total) throw new AppError('conflict', { _: 'console.invalidate.changed' })
  if (total === 0) throw new AppError('invalid_input', { _: 'console.invalidate.none' })
  const rows = await sigs.sampleMatching(db, campaign.id, filter, expected.upTo, SAMPLE_SIZE)
  return {
    ...counts,
    total,
    rows: rows.map((r) => ({
      id: r.id,
      name: r.name,
      email: maskEmail(r.email_key),
      country: r.country,
      status: r.status,
      network: ipFingerprint(r.ip_hash),
      createdAt: r.created_at,
    })),
  }
}

/** What the audit log and the invalidation row keep of a filter: no address, no IP hash. */
function describe(filter: sigs.InvalidationFilter) {
  return {
    ...(filter.sameIpAs ? { sameIpAs: filter.sameIpAs } : {}),
    ...(filter.emailDomain ? { emailDomain: filter.emailDomain } : {}),
    ...(filter.from ? { from: filter.from.toISOString() } : {}),
    ...(filter.to ? { to: filter.to.toISOString() } : {}),
  }
}

/** How many of these rows the public count holds: confirmed, and not held for review. */
const counted = (rows: { status: SignatureStatus; held: boolean }[]) =>
  rows.filter((r) => r.status === 'confirmed' && !r.held).length

/**
 * Invalidates exactly the rows the preview counted: the same filter, bounded by the preview's
 * highest id, and refused (409) if the number differs, e.g. after a restore or an erasure.
 * Confirmed rows leave the count through negative deltas in the same transaction.
 */
export async function invalidate(
  db: Db,
  actor: OrganizerActor,
  slug: string,
  filter: sigs.InvalidationFilter,
  expected: { total: number; upTo: string },
) {
  const campaign = await campaignOf(db, slug)
  return db.transaction().execute(async (trx) => {
    await sigs.allowBulkStatements(trx)
    const rows = await sigs.lockMatching(trx, campaign.id, filter, expected.upTo)
    if (rows.length !== expected.total) throw new AppError('conflict', { _: 'console.invalidate.changed' })
    if (rows.length === 0) throw new AppError('invalid_input', { _: 'console.invalidate.none' })
    const confirmed = counted(rows)
    const batch = await sigs.insertInvalidation(trx, {
      campaignId: campaign.id,
      organizerId: actor.id,
      filter: describe(filter),
      hit: rows.length,
    })
    await sigs.markInvalidated(
      trx,
      rows.map((r) => r.id),
      batch.id,
    )
    if (confirmed) await addCountDelta(trx, campaign.id, -confirmed)
    await record(
      trx,
      actor,
      'signatures.invalidate',
      { type: 'invalidation', id: batch.id },
      {
        campaign: campaign.slug,
        filter: Object.keys(describe(filter)),
        hit: rows.length,
        confirmed,
      },
    )
    return { id: batch.id, hit: rows.length, confirmed }
  })
}

/** Undoes a batch: each signature returns to the state it had; confirmed ones count again. */
export async function restoreInvalidation(db: Db, actor: OrganizerActor, slug: string, invalidationId: string) {
  const campaign = await campaignOf(db, slug)
  return db.transaction().execute(async (trx) => {
    const batch = await sigs.lockInvalidation(trx, campaign.id, invalidationId)
    if (!batch) throw notFound()
    if (batch.restored_at) throw new AppError('conflict', undefined, 'error.invalidation.undone')
    await sigs.allowBulkStatements(trx)
    const rows = await sigs.restoreBatch(trx, invalidationId)
    const confirmed = counted(rows)
    if (confirmed) await addCountDelta(trx, campaign.id, confirmed)
    await sigs.markRestored(trx, invalidationId, actor.id)
    await record(
      trx,
      actor,
      'signatures.restore',
      { type: 'invalidation', id: invalidationId },
      {
        campaign: campaign.slug,
        restored: rows.length,
        confirmed,
      },
    )
    return { restored: rows.length, confirmed }
  })
}

const EXPORT_BATCH = 2000

/**
 * The confirmed signatures as CSV, for delivery to the target. A name (and comment) is given only
 * for signers who chose to show their name: the others were promised their name stays private.
 * The export is audited before the first byte leaves.
 */
export async function exportConfirmedCsv(db: Db, actor: Actor, slug: string) {
  const campaign = await campaignOf(db, slug)
  const rows = await sigs.countConfirmed(db, campaign.id)
  await record(
    db,
    actor,
    'signatures.export',
    { type: 'campaign', id: campaign.id },
    { campaign: campaign.slug, format: 'csv', rows },
  )
  async function* records(): AsyncGenerator<Cell[]> {
    let after = '0'
    for (;;) {
      const batch = await sigs.confirmedBatch(db, campaign.id, after, EXPORT_BATCH)
      if (batch.length === 0) return
      for (const s of batch)
        yield [s.public_name ? s.name : '', s.country, s.confirmed_at, s.public_name ? s.comment : '']
      after = batch[batch.length - 1]!.id
    }
  }
  return {
    filename: `${campaign.slug}-signatures.csv`,
    stream: csvStream(['name', 'country', 'confirmed_at', 'comment'], records()),
  }
}
