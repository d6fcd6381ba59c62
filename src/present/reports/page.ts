// What the public tracker page shows, in the reader's language: totals, charts, the timeline and
// every report. Only public fields leave here: never who created a report, nor anything personal.
import { formatDate, formatNumber, langTag, type Locale, type MessageKey, type Translate } from '../../i18n/index.ts'
import { barChart, binTimeline, columnChart, type TimeUnit } from './charts.ts'
import { localisePlace, localiseProvince, localiseReport } from './localise.ts'
import { MARK_GROUPS, mapAlt, mapMarks, mapVersion } from './map-marks.ts'
import { mapSize } from './map-svg.ts'
import type { ReportRow } from '../../modules/reports/repository.ts'
import type { TrackerData } from '../../modules/reports/service.ts'

export const SOURCE_REL = 'nofollow noopener noreferrer'

/** A report's own page (routes/reports): the tracker, the feed and the emails link there. */
export function reportPath(id: string): string {
  return `/reports/${id}`
}

/** Only http(s) sources become links; anything else is shown as text, never as an href. */
export function safeSourceUrl(url: string | null): string | null {
  return url && /^https?:\/\/[^\s]+$/i.test(url) ? url : null
}

/** A report's day (YYYY-MM-DD) as a Date for Intl, which formats dates in UTC here. */
export function dayDate(day: string): Date {
  return new Date(`${day}T00:00:00Z`)
}

/** A country's name; Intl throws on a malformed code, and a bad row must not take the page down. */
function regionName(regions: Intl.DisplayNames, code: string): string {
  try {
    return regions.of(code.trim()) ?? code
  } catch {
    return code
  }
}

/** Plural-aware counts: English says "1 person", Korean and Chinese have one form. */
export function counts(locale: Locale, t: Translate) {
  const rules = new Intl.PluralRules(langTag(locale))
  const one = (n: number) => rules.select(n) === 'one'
  return {
    people: (n: number) => t(one(n) ? 'tracker.people.one' : 'report.people', { count: formatNumber(locale, n) }),
    reports: (n: number) =>
      t(one(n) ? 'tracker.reports.one' : 'tracker.reports.other', { count: formatNumber(locale, n) }),
  }
}

export function reportView(
  r: ReportRow,
  locale: Locale,
  t: Translate,
  regions: Intl.DisplayNames,
  c: ReturnType<typeof counts> = counts(locale, t),
) {
  const texts = localiseReport(r, locale)
  const where = t('tracker.where', { place: texts.place, province: texts.province })
  const kindText = t(`kind.${r.kind}` as MessageKey)
  return {
    id: r.id,
    anchor: `report-${r.id}`,
    href: reportPath(r.id),
    day: r.occurred_day,
    dateText: formatDate(locale, dayDate(r.occurred_day)),
    heading: t('tracker.report.heading', { kind: kindText, where }),
    place: texts.place,
    province: texts.province,
    country: regionName(regions, r.country),
    kind: r.kind,
    peopleText: c.people(r.people_count),
    summary: texts.summary,
    summaryLang: texts.summaryLang,
    sourceName: r.source_name,
    sourceUrl: safeSourceUrl(r.source_url),
    confidence: r.confidence,
    confidenceText: t(`confidence.${r.confidence}` as MessageKey),
    retracted: r.status === 'retracted',
    correctionNote: r.correction_note,
  }
}

function periodFormat(locale: Locale, unit: TimeUnit) {
  const options: Intl.DateTimeFormatOptions =
    unit === 'day'
      ? { year: 'numeric', month: 'short', day: 'numeric' }
      : unit === 'month'
        ? { year: 'numeric', month: 'short' }
        : { year: 'numeric' }
  const format = new Intl.DateTimeFormat(langTag(locale), { ...options, timeZone: 'UTC' })
  return (key: string) => format.format(dayDate(unit === 'day' ? key : unit === 'month' ? `${key}-01` : `${key}-01-01`))
}

export function trackerPage(data: TrackerData, locale: Locale, t: Translate) {
  const c = counts(locale, t)
  const n = (v: number) => formatNumber(locale, v)
  const regions = new Intl.DisplayNames([langTag(locale)], { type: 'region' })
  const valueText = (people: number, reports: number) => `${c.people(people)} · ${c.reports(reports)}`

  const byPlace = data.totals.byPlace.map((p) => ({
    label: t('tracker.where', localisePlace(p, p.translations, locale)),
    people: p.people,
    reports: p.reports,
  }))
  const byProvince = data.totals.byProvince.map((p) => ({
    label: t('tracker.provinceIn', {
      province: localiseProvince(p.province, p.country, p.translations, locale),
      country: regionName(regions, p.country),
    }),
    people: p.people,
    reports: p.reports,
  }))
  const byKind = data.totals.byKind.map((k) => ({
    label: t(`kind.${k.kind}` as MessageKey),
    people: k.people,
    reports: k.reports,
  }))
  const chart = (rows: { label: string; people: number; reports: number }[]) =>
    barChart(rows.map((r) => ({ label: r.label, value: r.people, valueText: valueText(r.people, r.reports) })))

  const { unit, bins } = binTimeline(data.days)
  const period = periodFormat(locale, unit)
  const timelineName = t(`tracker.timeline.${unit}`)

  const reports = data.reports.map((r) => reportView(r, locale, t, regions, c))
  const figures = mapMarks(data.places, locale, t)
  const map = figures.marks.length
    ? {
        // The version in the address: a new report is a new image, and the old one may be kept.
        src: `/reports/map.svg?hl=${locale}&v=${mapVersion(figures, locale)}`,
        ...mapSize(figures),
        alt: mapAlt(figures, locale, t, c.people),
        legend: MARK_GROUPS.filter((g) => figures.marks.some((m) => m.group === g)).map((g) => ({
          group: g,
          text: t(`map.${g}`),
        })),
        rows: figures.marks.map((m) => ({
          label: m.fullLabel,
          kind: t(`map.${m.group}`),
          people: m.people,
          reports: m.reports,
        })),
        unplaced:
          figures.unplaced.reports > 0
            ? `${c.people(figures.unplaced.people)} · ${c.reports(figures.unplaced.reports)}`
            : null,
      }
    : null
  return {
    map,
    title: t('tracker.title'),
    description: t('tracker.intro'),
    feed: { href: `/reports.atom?lang=${locale}`, title: t('tracker.feed.title', { site: t('site.name') }) },
    summary: {
      people: n(data.totals.byKind.reduce((sum, k) => sum + k.people, 0)),
      reports: n(data.totals.byKind.reduce((sum, k) => sum + k.reports, 0)),
      retracted: reports.filter((r) => r.retracted).length,
    },
    byPlace: { name: t('tracker.byPlace'), rows: byPlace, chart: chart(byPlace) },
    byProvince: { name: t('tracker.byProvince'), rows: byProvince, chart: chart(byProvince) },
    byKind: { name: t('tracker.byKind'), rows: byKind, chart: chart(byKind) },
    timeline: {
      name: timelineName,
      chart: columnChart(bins, { period, number: n }),
      // The table lists the periods that have reports; the empty ones are only spacing in the chart.
      rows: bins
        .filter((b) => b.reports > 0)
        .map((b) => ({ period: period(b.key), people: b.people, reports: b.reports })),
    },
    reports,
    truncated: data.truncated ? t('tracker.truncated', { count: n(data.reports.length) }) : null,
    rel: SOURCE_REL,
  }
}
