import { sql, type SelectQueryBuilder } from 'kysely'
import type { Db, Trx } from '../../db/index.ts'
import type { Confidence, Database, Locale, ReportKind, ReportStatus, ReportTexts } from '../../db/types.ts'
import { keyed, type KeyRequest } from '../paging.ts'

const columns = [
  'reports.id',
  'reports.occurred_on',
  'reports.place_name',
  'reports.province',
  'reports.country',
  'reports.people_count',
  'reports.kind',
  'reports.summary',
  'reports.locale',
  'reports.translations',
  'reports.source_name',
  'reports.source_url',
  'reports.confidence',
  'reports.campaign_id',
  'reports.status',
  'reports.correction_note',
  'reports.created_at',
  'reports.published_at',
  'reports.retracted_at',
  'reports.latitude',
  'reports.longitude',
  'reports.exact_point',
  'campaigns.slug as campaign_slug',
] as const

function base(db: Db | Trx) {
  return (
    db
      .selectFrom('reports')
      .leftJoin('campaigns', 'campaigns.id', 'reports.campaign_id')
      .select(columns)
      // Dates as plain YYYY-MM-DD text: a report's day has no time zone.
      .select(sql<string>`to_char(reports.occurred_on, 'YYYY-MM-DD')`.as('occurred_day'))
  )
}

export type ReportRow = NonNullable<Awaited<ReturnType<typeof findById>>>

export function findById(db: Db | Trx, id: string) {
  return base(db).where('reports.id', '=', id).executeTakeFirst()
}

/**
 * Reports the public may see, newest event first: published ones, and retracted ones with their
 * correction note (the tracker shows them marked) unless `retracted` is false.
 */
export function listPublic(db: Db, { limit = 500, retracted = true }: { limit?: number; retracted?: boolean } = {}) {
  return base(db)
    .where('reports.status', 'in', retracted ? ['published', 'retracted'] : ['published'])
    .orderBy('reports.occurred_on', 'desc')
    .orderBy('reports.id', 'desc')
    .limit(limit)
    .execute()
}

/** What the console's list of reports is searched by. */
export interface ReportSearch {
  status?: ReportStatus | undefined
  kind?: ReportKind | undefined
  /** Words in the place's name or the summary, in any case. */
  text?: string | undefined
  /** Days the events happened: from `from`, before `before`. */
  from?: string | undefined
  before?: string | undefined
}

function searched<O>(q: SelectQueryBuilder<Database, 'reports' | 'campaigns', O>, f: ReportSearch) {
  if (f.status) q = q.where('reports.status', '=', f.status)
  if (f.kind) q = q.where('reports.kind', '=', f.kind)
  if (f.text) {
    const like = `%${f.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    q = q.where((eb) => eb.or([eb('reports.place_name', 'ilike', like), eb('reports.summary', 'ilike', like)]))
  }
  if (f.from) q = q.where('reports.occurred_on', '>=', f.from)
  if (f.before) q = q.where('reports.occurred_on', '<', f.before)
  return q
}

/** Every report, drafts included, by the day it happened, newest first; one page by key. */
export function pageSearched(db: Db, f: ReportSearch, page: KeyRequest, size: number) {
  const k = keyed('reports.occurred_on', 'reports.id', 'date', page)
  return searched(base(db), f)
    .select(k.sortKey)
    .where(k.where)
    .orderBy('reports.occurred_on', k.order)
    .orderBy('reports.id', k.order)
    .limit(size + 1)
    .execute()
}

export async function countSearched(db: Db, f: ReportSearch) {
  const q = db
    .selectFrom('reports')
    .leftJoin('campaigns', 'campaigns.id', 'reports.campaign_id')
    .select(sql<string>`count(*)`.as('n'))
  return Number((await searched(q, f).executeTakeFirstOrThrow()).n)
}

/** Published reports (not drafts, not retracted) published in (since, until], for digests. */
export function publishedBetween(db: Db, since: Date, until: Date) {
  return base(db)
    .where('reports.status', '=', 'published')
    .where('reports.published_at', '>', since)
    .where('reports.published_at', '<=', until)
    .orderBy('reports.published_at')
    .execute()
}

/**
 * Reports retracted in (since, until] that were published before `since`, so that an earlier
 * digest may have carried them: the corrections a digest owes its reader.
 */
export function retractedBetween(db: Db, since: Date, until: Date) {
  return base(db)
    .where('reports.status', '=', 'retracted')
    .where('reports.retracted_at', '>', since)
    .where('reports.retracted_at', '<=', until)
    .where('reports.published_at', '<=', since)
    .orderBy('reports.retracted_at')
    .execute()
}

export interface NewReport {
  occurredOn: string
  placeName: string
  province: string
  country: string
  peopleCount: number
  kind: ReportKind
  summary: string
  locale: Locale
  translations: Partial<Record<Locale, ReportTexts>>
  sourceName: string | null
  sourceUrl: string | null
  confidence: Confidence
  campaignId: string | null
  createdBy: string | null
  /** Already rounded as the service decides (service.storedPoint); null: drawn at its province. */
  point?: Point | null | undefined
}

export interface Point {
  latitude: number
  longitude: number
  exact: boolean
}

function columnsOf(r: NewReport) {
  return {
    occurred_on: r.occurredOn,
    place_name: r.placeName,
    province: r.province,
    country: r.country,
    people_count: r.peopleCount,
    kind: r.kind,
    summary: r.summary,
    locale: r.locale,
    translations: JSON.stringify(r.translations),
    source_name: r.sourceName,
    source_url: r.sourceUrl,
    confidence: r.confidence,
    campaign_id: r.campaignId,
    created_by: r.createdBy,
    latitude: r.point?.latitude ?? null,
    longitude: r.point?.longitude ?? null,
    exact_point: r.point?.exact ?? false,
  }
}

export async function insert(db: Db | Trx, r: NewReport) {
  const { id } = await db.insertInto('reports').values(columnsOf(r)).returning('id').executeTakeFirstOrThrow()
  return id
}

/** Replaces a draft's fields (not its author); undefined when it is no longer a draft. */
export function replaceDraft(trx: Trx, id: string, r: Omit<NewReport, 'createdBy'>) {
  const { created_by: _author, ...columns } = columnsOf({ ...r, createdBy: null })
  return trx
    .updateTable('reports')
    .set(columns)
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .returning('id')
    .executeTakeFirst()
}

/** Deletes a draft; undefined when it is no longer a draft (it was published meanwhile). */
export function deleteDraft(trx: Trx, id: string) {
  return trx.deleteFrom('reports').where('id', '=', id).where('status', '=', 'draft').returning('id').executeTakeFirst()
}

/** Moves a report between states; undefined when it was not in `from` (a conflict). */
export function transition(trx: Trx, id: string, from: ReportStatus, to: ReportStatus, note?: string) {
  return trx
    .updateTable('reports')
    .set({
      status: to,
      ...(to === 'published' ? { published_at: sql<Date>`now()` } : {}),
      ...(to === 'retracted' ? { retracted_at: sql<Date>`now()`, correction_note: note ?? null } : {}),
    })
    .where('id', '=', id)
    .where('status', '=', from)
    .returning('id')
    .executeTakeFirst()
}

/** Replaces a report's translations; undefined when the report is not in one of `states`. */
export function setTranslations(
  trx: Trx,
  id: string,
  translations: Partial<Record<Locale, ReportTexts>>,
  states: ReportStatus[],
) {
  return trx
    .updateTable('reports')
    .set({ translations: JSON.stringify(translations) })
    .where('id', '=', id)
    .where('status', 'in', states)
    .returning('id')
    .executeTakeFirst()
}

/**
 * The translations of a place or province: those of the group's latest report that has any, so
 * a total can be labelled in the reader's language like the reports it sums.
 */
const groupTranslations = sql<Partial<
  Record<Locale, ReportTexts>
> | null>`(array_agg(translations order by published_at desc, id desc) filter (where translations <> '{}'::jsonb))[1]`

/** People and reports per place, per province and per kind, over published reports. */
export async function totals(db: Db) {
  const published = db.selectFrom('reports').where('status', '=', 'published')
  const [byPlace, byProvince, byKind] = await Promise.all([
    published
      .select(['place_name', 'province', 'country'])
      .select((eb) => [eb.fn.sum<string>('people_count').as('people'), eb.fn.countAll<string>().as('reports')])
      .select(groupTranslations.as('translations'))
      .groupBy(['place_name', 'province', 'country'])
      .orderBy('people', 'desc')
      .execute(),
    published
      .select(['province', 'country'])
      .select((eb) => [eb.fn.sum<string>('people_count').as('people'), eb.fn.countAll<string>().as('reports')])
      .select(groupTranslations.as('translations'))
      .groupBy(['province', 'country'])
      .orderBy('people', 'desc')
      .execute(),
    published
      .select(['kind'])
      .select((eb) => [eb.fn.sum<string>('people_count').as('people'), eb.fn.countAll<string>().as('reports')])
      .groupBy('kind')
      .orderBy('people', 'desc')
      .execute(),
  ])
  const n = (v: string) => Number(v)
  return {
    byPlace: byPlace.map((r) => ({
      place: r.place_name,
      province: r.province,
      country: r.country,
      people: n(r.people),
      reports: n(r.reports),
      translations: r.translations ?? {},
    })),
    byProvince: byProvince.map((r) => ({
      province: r.province,
      country: r.country,
      people: n(r.people),
      reports: n(r.reports),
      translations: r.translations ?? {},
    })),
    byKind: byKind.map((r) => ({ kind: r.kind, people: n(r.people), reports: n(r.reports) })),
  }
}

/**
 * Published reports' places for the map: one row per place, province, kind and point, summed.
 * Drafts and retracted reports are not drawn, as they are not in the totals.
 */
export async function mapPlaces(db: Db) {
  const rows = await db
    .selectFrom('reports')
    .where('status', '=', 'published')
    .select(['place_name', 'province', 'country', 'kind', 'latitude', 'longitude'])
    .select((eb) => [eb.fn.sum<string>('people_count').as('people'), eb.fn.countAll<string>().as('reports')])
    .select(groupTranslations.as('translations'))
    .groupBy(['place_name', 'province', 'country', 'kind', 'latitude', 'longitude'])
    .orderBy('people', 'desc')
    .orderBy('place_name')
    .execute()
  return rows.map((r) => ({
    place: r.place_name,
    province: r.province,
    country: r.country,
    kind: r.kind,
    latitude: r.latitude,
    longitude: r.longitude,
    people: Number(r.people),
    reports: Number(r.reports),
    translations: r.translations ?? {},
  }))
}

/** People and reports per day of the event, oldest first, over published reports: the timeline. */
export async function perDay(db: Db) {
  const rows = await db
    .selectFrom('reports')
    .where('status', '=', 'published')
    .select(sql<string>`to_char(occurred_on, 'YYYY-MM-DD')`.as('day'))
    .select((eb) => [eb.fn.sum<string>('people_count').as('people'), eb.fn.countAll<string>().as('reports')])
    .groupBy('occurred_on')
    .orderBy('occurred_on')
    .execute()
  return rows.map((r) => ({ day: r.day, people: Number(r.people), reports: Number(r.reports) }))
}

/**
 * Published and retracted reports, the latest published or retracted first: the Atom feed, where
 * a retraction is the same entry updated, so it must rise to the top when it happens.
 */
export function recentlyChanged(db: Db, limit = 100) {
  return base(db)
    .where('reports.status', '<>', 'draft')
    .orderBy(sql`coalesce(reports.retracted_at, reports.published_at)`, 'desc')
    .orderBy('reports.id', 'desc')
    .limit(limit)
    .execute()
}

/** The id of a report of this campaign, kind, place and day, in any state, if there is one. */
export async function findSameEvent(
  db: Db | Trx,
  key: { campaignId: string; kind: ReportKind; placeName: string; occurredOn: string },
) {
  const row = await db
    .selectFrom('reports')
    .select('id')
    .where('campaign_id', '=', key.campaignId)
    .where('kind', '=', key.kind)
    .where('place_name', '=', key.placeName)
    .where('occurred_on', '=', key.occurredOn)
    .executeTakeFirst()
  return row?.id
}

/**
 * Inserts a report that is published from the start, with no alert and no outbox row. Only for
 * records that are not news, such as the demo data; news goes through service.publishReport.
 */
export async function insertPublished(db: Db | Trx, r: NewReport) {
  const { id } = await db
    .insertInto('reports')
    .values({ ...columnsOf(r), status: 'published', published_at: sql<Date>`now()` })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

/** Serialises loaders of fixed data (demo:load) for the rest of the transaction. */
export async function lockFixedData(trx: Trx, name: string) {
  await sql`select pg_advisory_xact_lock(hashtext(${`urgent-action:${name}`}))`.execute(trx)
}
