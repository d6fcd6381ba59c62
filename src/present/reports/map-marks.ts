// What the tracker's map shows: one mark per point and kind of event, summed over published
// reports. A report with a point is drawn there (stored rounded to about 10 km unless its
// organizer chose an exact point); one without is drawn near the middle of its province. The
// same marks make the table beside the map, so the figures a screen reader hears are the drawn ones.
import { createHash } from 'node:crypto'
import type { ReportKind } from '../../db/types.ts'
import { formatNumber, langTag, type Locale, type Translate } from '../../i18n/index.ts'
import type { TrackerData } from '../../modules/reports/service.ts'
import { provinceCentre } from '../../province-centres.ts'
import { localisePlace } from './localise.ts'

/** Held (detained, transferred, sentenced), forcibly returned, or released: a colour each. */
export type MarkGroup = 'held' | 'returned' | 'released'

export const MARK_GROUPS: readonly MarkGroup[] = ['held', 'returned', 'released']

export function groupOf(kind: ReportKind): MarkGroup {
  return kind === 'forced-return' ? 'returned' : kind === 'release' ? 'released' : 'held'
}

export interface MapMark {
  latitude: number
  longitude: number
  group: MarkGroup
  people: number
  reports: number
  /** The places at this mark in the reader's language, or its province when none was given. */
  label: string
  /** For the table: the label, with the province or a note that the place is the province's. */
  fullLabel: string
}

export interface MapFigures {
  marks: MapMark[]
  /** Published reports with neither a point nor a province the site knows: not on the map. */
  unplaced: { people: number; reports: number }
}

export function mapMarks(places: TrackerData['places'], locale: Locale, t: Translate): MapFigures {
  const byKey = new Map<string, MapMark & { names: Set<string>; full: Set<string> }>()
  const unplaced = { people: 0, reports: 0 }
  for (const p of places) {
    const own = p.latitude !== null && p.longitude !== null
    const point = own ? { latitude: p.latitude!, longitude: p.longitude! } : provinceCentre(p.province, p.country)
    if (!point) {
      unplaced.people += p.people
      unplaced.reports += p.reports
      continue
    }
    const names = localisePlace(p, p.translations, locale)
    const group = groupOf(p.kind)
    const key = `${point.latitude},${point.longitude},${group}`
    let mark = byKey.get(key)
    if (!mark) {
      mark = { ...point, group, people: 0, reports: 0, label: '', fullLabel: '', names: new Set(), full: new Set() }
      byKey.set(key, mark)
    }
    mark.people += p.people
    mark.reports += p.reports
    mark.names.add(own ? names.place : names.province)
    mark.full.add(own ? t('tracker.where', names) : t('map.atProvince', { province: names.province }))
  }
  const list = new Intl.ListFormat(langTag(locale), { type: 'unit', style: 'narrow' })
  const marks = [...byKey.values()].map(({ names, full, ...mark }) => ({
    ...mark,
    label: list.format([...names]),
    fullLabel: list.format([...full]),
  }))
  // Most people first: the table reads like the others on the page, and small marks draw on top.
  marks.sort((a, b) => b.people - a.people || a.fullLabel.localeCompare(b.fullLabel))
  return { marks, unplaced }
}

/** Names the drawing: a new version whenever a mark or a label changes, and only then. */
export function mapVersion(figures: MapFigures, locale: Locale): string {
  return createHash('sha256')
    .update(JSON.stringify([locale, figures.marks]))
    .digest('base64url')
    .slice(0, 12)
}

/** The map's text alternative: how many places and people, and where the same figures are. */
export function mapAlt(figures: MapFigures, locale: Locale, t: Translate, people: (n: number) => string): string {
  const n = figures.marks.length
  return t('map.alt', {
    places: n === 1 ? t('map.places.one') : t('map.places.other', { count: formatNumber(locale, n) }),
    people: people(figures.marks.reduce((sum, m) => sum + m.people, 0)),
    table: t('map.table'),
  })
}
