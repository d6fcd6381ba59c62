import type { Db } from '../../db/index.ts'
import type { Confidence, Locale, ReportKind, ReportTexts } from '../../db/types.ts'
import { AppError, notFound } from '../../errors.ts'
import { insertAlert } from '../alerts/repository.ts'
import { record, type Actor } from '../audit/service.ts'
import * as campaigns from '../campaigns/repository.ts'
import * as outbox from '../outbox/repository.ts'
import { emitEvent } from '../webhooks/events.ts'
import * as reports from './repository.ts'

export interface ReportInput {
  occurredOn: string
  place: {
    name: string
    province: string
    country: string
    latitude?: number | undefined
    longitude?: number | undefined
    /** Keep the point as given; otherwise it is stored rounded to about 10 km. */
    exactPoint?: boolean | undefined
  }
  peopleCount: number
  kind: ReportKind
  summary: string
  /** The language the report is written in; English when not given. */
  locale?: Locale | undefined
  translations?: Partial<Record<Locale, ReportTexts>> | undefined
  sourceName?: string | undefined
  sourceUrl?: string | undefined
  confidence: Confidence
  campaign?: string | undefined
}

// A tenth of a degree: 11 km north to south, less east to west away from the equator. Enough to
// place a prison or a town on the map, not enough to find a house.
const ROUNDING = 10

/** A coordinate as the public sees it: to 0.1 degree unless the organizer chose the exact point. */
export function roundCoordinate(value: number, exact = false): number {
  return exact ? value : Math.round(value * ROUNDING) / ROUNDING
}

/** The point as stored: rounded unless exact, or none without both coordinates. */
export function storedPoint(place: ReportInput['place']): reports.Point | null {
  const { latitude, longitude } = place
  if (latitude === undefined || longitude === undefined) return null
  const exact = place.exactPoint === true
  return { latitude: roundCoordinate(latitude, exact), longitude: roundCoordinate(longitude, exact), exact }
}

/** The columns of a report from its input; its campaign is named by slug and must exist. */
async function fieldsOf(db: Db, input: ReportInput): Promise<Omit<reports.NewReport, 'createdBy'>> {
  let campaignId: string | null = null
  if (input.campaign) {
    const campaign = await campaigns.findBySlug(db, input.campaign)
    if (!campaign) throw new AppError('invalid_input', { campaign: 'error.unknownCampaign' })
    campaignId = campaign.id
  }
  return {
    occurredOn: input.occurredOn,
    placeName: input.place.name,
    province: input.place.province,
    country: input.place.country,
    peopleCount: input.peopleCount,
    kind: input.kind,
    summary: input.summary,
    locale: input.locale ?? 'en',
    translations: cleanTranslations(input.translations ?? {}),
    sourceName: input.sourceName ?? null,
    sourceUrl: input.sourceUrl ?? null,
    confidence: input.confidence,
    campaignId,
    point: storedPoint(input.place),
  }
}

/** A report's fields as its input says them: what an edit of a draft starts from. */
export function inputOf(r: reports.ReportRow): ReportInput {
  return {
    occurredOn: r.occurred_day,
    place: {
      name: r.place_name,
      province: r.province,
      country: r.country,
      ...(r.latitude !== null && r.longitude !== null ? { latitude: r.latitude, longitude: r.longitude } : {}),
      exactPoint: r.exact_point,
    },
    peopleCount: r.people_count,
    kind: r.kind,
    summary: r.summary,
    locale: r.locale,
    translations: r.translations,
    sourceName: r.source_name ?? undefined,
    sourceUrl: r.source_url ?? undefined,
    confidence: r.confidence,
    campaign: r.campaign_slug ?? undefined,
  }
}

/** Each change is audited in its own transaction. */
export async function createReport(db: Db, actor: Actor, input: ReportInput) {
  const fields = await fieldsOf(db, input)
  const id = await db.transaction().execute(async (trx) => {
    const created = await reports.insert(trx, { ...fields, createdBy: actor.via === 'system' ? null : actor.id })
    await record(trx, actor, 'report.create', { type: 'report', id: created })
    return created
  })
  return (await reports.findById(db, id))!
}

/**
 * Replaces a draft with `input`, whole. A published report is never edited: it is corrected by a
 * retraction and a new report, which its readers are told of. The audit names the fields changed.
 */
export async function editDraft(db: Db, actor: Actor, id: string, input: ReportInput) {
  const fields = await fieldsOf(db, input)
  await db.transaction().execute(async (trx) => {
    const current = await reports.findById(trx, id)
    if (!current) throw notFound()
    if (!(await reports.replaceDraft(trx, id, fields))) {
      throw new AppError('conflict', undefined, 'console.report.notDraft')
    }
    const before = inputOf(current)
    const changed = (Object.keys(input) as (keyof ReportInput)[]).filter(
      (k) => JSON.stringify(input[k]) !== JSON.stringify(before[k]),
    )
    await record(trx, actor, 'report.edit', { type: 'report', id }, { changed })
  })
  return (await reports.findById(db, id))!
}

/** Deletes a draft; a published report stays, and is retracted instead. */
export async function deleteDraft(db: Db, actor: Actor, id: string) {
  await db.transaction().execute(async (trx) => {
    const current = await reports.findById(trx, id)
    if (!current) throw notFound()
    if (!(await reports.deleteDraft(trx, id))) throw new AppError('conflict', undefined, 'console.report.notDraft')
    await record(trx, actor, 'report.delete', { type: 'report', id }, { kind: current.kind })
  })
}

/**
 * Publishes a draft: the report, its alert and the outbox row that starts the fan-out commit
 * together, so an alert is never lost nor started for a report that did not publish.
 */
export async function publishReport(db: Db, actor: Actor, id: string) {
  const alertId = await db.transaction().execute(async (trx) => {
    const current = await reports.findById(trx, id)
    if (!current) throw notFound()
    if (!(await reports.transition(trx, id, 'draft', 'published'))) {
      throw new AppError('conflict', undefined, 'console.report.notDraft')
    }
    const alert = await insertAlert(trx, id, 'report')
    await outbox.enqueue(trx, 'alert.fanout', { alertId: alert })
    await outbox.wakeRelay(trx)
    await emitEvent(trx, 'report.published', {
      reportId: id,
      alertId: alert,
      campaignId: current.campaign_id,
      peopleCount: current.people_count,
    })
    await record(trx, actor, 'report.publish', { type: 'report', id }, { alert })
    return alert
  })
  return { report: (await reports.findById(db, id))!, alertId }
}

/** Retracts a published report with a public correction note, and alerts those who got it. */
export async function retractReport(db: Db, actor: Actor, id: string, note: string) {
  const alertId = await db.transaction().execute(async (trx) => {
    const current = await reports.findById(trx, id)
    if (!current) throw notFound()
    if (!(await reports.transition(trx, id, 'published', 'retracted', note))) {
      throw new AppError('conflict', undefined, 'console.report.notPublished')
    }
    const alert = await insertAlert(trx, id, 'retraction')
    await outbox.enqueue(trx, 'alert.fanout', { alertId: alert })
    await outbox.wakeRelay(trx)
    await record(trx, actor, 'report.retract', { type: 'report', id }, { alert })
    return alert
  })
  return { report: (await reports.findById(db, id))!, alertId }
}

/**
 * Sets a report's texts in one language, or removes them when `texts` holds none. Drafts and
 * published reports can be translated (a translation often follows the news); a retracted report
 * is closed, its correction stands as written.
 */
export async function translateReport(db: Db, actor: Actor, id: string, locale: Locale, texts: ReportTexts) {
  await db.transaction().execute(async (trx) => {
    const current = await reports.findById(trx, id)
    if (!current) throw notFound()
    if (locale === current.locale) {
      throw new AppError('invalid_input', { locale: { key: 'error.ownLanguage', params: { locale } } })
    }
    const clean = cleanTexts(texts)
    const translations = { ...current.translations }
    if (clean) translations[locale] = clean
    else delete translations[locale]
    if (!(await reports.setTranslations(trx, id, translations, ['draft', 'published']))) {
      throw new AppError('conflict', undefined, 'console.report.translationClosed')
    }
    await record(trx, actor, 'report.translate', { type: 'report', id }, { locale })
  })
  return (await reports.findById(db, id))!
}

/** Each language's texts that are there; a language with none is left out. */
function cleanTranslations(translations: Partial<Record<Locale, ReportTexts>>): Partial<Record<Locale, ReportTexts>> {
  const clean: Partial<Record<Locale, ReportTexts>> = {}
  for (const [locale, texts] of Object.entries(translations) as [Locale, ReportTexts][]) {
    const kept = cleanTexts(texts)
    if (kept) clean[locale] = kept
  }
  return clean
}

/** The texts that are there, trimmed; undefined when none is. An empty one is stored as absent. */
function cleanTexts(texts: ReportTexts): ReportTexts | undefined {
  const summary = texts.summary?.trim() || undefined
  const name = texts.place?.name?.trim() || undefined
  const province = texts.place?.province?.trim() || undefined
  if (!summary && !name && !province) return undefined
  return { summary, place: name || province ? { name, province } : undefined }
}

export async function findReport(db: Db, id: string) {
  const row = await reports.findById(db, id)
  if (!row) throw notFound()
  return row
}

/** A report the public may read: published, or retracted with its correction; a draft is not found. */
export async function findPublicReport(db: Db, id: string) {
  const row = await reports.findById(db, id)
  if (!row || row.status === 'draft') throw notFound()
  return row
}

/** What the API lists: published reports only, so a partner that ignores `status` never shows a retracted one. */
export function listPublishedReports(db: Db) {
  return reports.listPublic(db, { retracted: false })
}
export const reportTotals = reports.totals

/** The tracker lists at most this many reports, newest event first, and says so when it stops. */
export const TRACKER_LIMIT = 500
export const FEED_LIMIT = 100
export interface TrackerData {
  reports: reports.ReportRow[]
  truncated: boolean
  totals: Awaited<ReturnType<typeof reports.totals>>
  days: Awaited<ReturnType<typeof reports.perDay>>
  places: Awaited<ReturnType<typeof reports.mapPlaces>>
}

/** Published and retracted reports, totals over published ones, and people per day. */
export async function trackerData(db: Db): Promise<TrackerData> {
  const [rows, totals, days, places] = await Promise.all([
    reports.listPublic(db, { limit: TRACKER_LIMIT + 1 }),
    reports.totals(db),
    reports.perDay(db),
    reports.mapPlaces(db),
  ])
  return { reports: rows.slice(0, TRACKER_LIMIT), truncated: rows.length > TRACKER_LIMIT, totals, days, places }
}

/** The feed's entries: published and retracted reports, the latest change first. */
export function feedReports(db: Db) {
  return reports.recentlyChanged(db, FEED_LIMIT)
}
