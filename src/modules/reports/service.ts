import type { Db } from '../../db/index.ts'
import type { Confidence, ReportKind } from '../../db/types.ts'
import { AppError, notFound } from '../../errors.ts'
import { insertAlert } from '../alerts/repository.ts'
import * as campaigns from '../campaigns/repository.ts'
import * as outbox from '../outbox/repository.ts'
import * as reports from './repository.ts'

export interface ReportInput {
  occurredOn: string
  place: { name: string; province: string; country: string }
  peopleCount: number
  kind: ReportKind
  summary: string
  sourceName?: string | undefined
  sourceUrl?: string | undefined
  confidence: Confidence
  campaign?: string | undefined
}

export async function createReport(db: Db, organizerId: string | null, input: ReportInput) {
  let campaignId: string | null = null
  if (input.campaign) {
    const campaign = await campaigns.findBySlug(db, input.campaign)
    if (!campaign) throw new AppError('invalid_input', 'Some fields are not valid.', { campaign: 'no campaign has this slug' })
    campaignId = campaign.id
  }
  const id = await reports.insert(db, {
    occurredOn: input.occurredOn,
    placeName: input.place.name,
    province: input.place.province,
    country: input.place.country,
    peopleCount: input.peopleCount,
    kind: input.kind,
    summary: input.summary,
    sourceName: input.sourceName ?? null,
    sourceUrl: input.sourceUrl ?? null,
    confidence: input.confidence,
    campaignId,
    createdBy: organizerId,
  })
  return (await reports.findById(db, id))!
}

/**
 * Publishes a draft: the report, its alert and the outbox row that starts the fan-out commit
 * together, so an alert is never lost nor started for a report that did not publish.
 */
export async function publishReport(db: Db, id: string) {
  const alertId = await db.transaction().execute(async (trx) => {
    const current = await reports.findById(trx, id)
    if (!current) throw notFound()
    if (!(await reports.transition(trx, id, 'draft', 'published'))) {
      throw new AppError('conflict', `Only a draft can be published; this report is ${current.status}.`)
    }
    const alert = await insertAlert(trx, id, 'report')
    await outbox.enqueue(trx, 'alert.fanout', { alertId: alert })
    return alert
  })
  return { report: (await reports.findById(db, id))!, alertId }
}

/** Retracts a published report with a public correction note, and alerts those who got it. */
export async function retractReport(db: Db, id: string, note: string) {
  const alertId = await db.transaction().execute(async (trx) => {
    const current = await reports.findById(trx, id)
    if (!current) throw notFound()
    if (!(await reports.transition(trx, id, 'published', 'retracted', note))) {
      throw new AppError('conflict', `Only a published report can be retracted; this report is ${current.status}.`)
    }
    const alert = await insertAlert(trx, id, 'retraction')
    await outbox.enqueue(trx, 'alert.fanout', { alertId: alert })
    return alert
  })
  return { report: (await reports.findById(db, id))!, alertId }
}

export async function findReport(db: Db, id: string) {
  const row = await reports.findById(db, id)
  if (!row) throw notFound()
  return row
}

export const listPublicReports = reports.listPublic
export const reportTotals = reports.totals
