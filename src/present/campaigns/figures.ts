// A campaign's public figures on its page, in the reader's language: signatures over time as a
// server-drawn SVG (an image of its own, so the page's HTML stays small and the chart is cached
// apart), and the countries signers live in, small ones already folded by the stats service.
import { formatDate, formatNumber, langTag, type Locale, type Translate } from '../../i18n/index.ts'
import { countryName } from '../../i18n/countries.ts'
import { MIN_COUNTRY_COUNT, OTHER_COUNTRIES, type CampaignStats } from '../../modules/stats/service.ts'
import { columnChart, type Bin, type ColumnChart } from '../reports/charts.ts'

const HOUR_MS = 3_600_000
/** A campaign younger than this is drawn per hour; past it, per day. */
const HOURLY_SPAN_MS = 72 * HOUR_MS

export type SignatureUnit = 'hour' | 'day'

/** Signatures per hour, or per day for a longer run, with the empty periods as zeros. */
export function signatureBins(timeline: CampaignStats['timeline']): { unit: SignatureUnit; bins: Bin[] } {
  if (timeline.length === 0) return { unit: 'hour', bins: [] }
  const first = timeline[0]!.at.getTime()
  const last = timeline[timeline.length - 1]!.at.getTime()
  const unit: SignatureUnit = last - first <= HOURLY_SPAN_MS ? 'hour' : 'day'
  const step = unit === 'hour' ? HOUR_MS : 24 * HOUR_MS
  const start = (at: number) => at - (at % step)
  const totals = new Map<number, number>()
  for (const h of timeline) totals.set(start(h.at.getTime()), (totals.get(start(h.at.getTime())) ?? 0) + h.count)
  const bins: Bin[] = []
  for (let at = start(first); at <= start(last); at += step) {
    bins.push({ key: new Date(at).toISOString(), people: totals.get(at) ?? 0, reports: 0 })
  }
  return { unit, bins }
}

const hourFormats = new Map<Locale, Intl.DateTimeFormat>()
function periodText(locale: Locale, unit: SignatureUnit, key: string): string {
  if (unit === 'day') return formatDate(locale, new Date(key))
  let format = hourFormats.get(locale)
  if (!format) {
    format = new Intl.DateTimeFormat(langTag(locale), {
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone: 'UTC',
      timeZoneName: 'short',
    })
    hourFormats.set(locale, format)
  }
  return format.format(new Date(key))
}

export interface SignatureChart {
  chart: ColumnChart
  /** The chart in words, for the image's alt text and the SVG's title. */
  alt: string
}

export function signatureChart(stats: CampaignStats, locale: Locale, t: Translate): SignatureChart | null {
  const { unit, bins } = signatureBins(stats.timeline)
  if (bins.length === 0) return null
  const period = (key: string) => periodText(locale, unit, key)
  const chart = columnChart(bins, { period, number: (n) => formatNumber(locale, n) })
  const alt = t('figures.chartAlt', {
    unit: t(unit === 'hour' ? 'figures.unit.hour' : 'figures.unit.day'),
    from: period(bins[0]!.key),
    to: period(bins[bins.length - 1]!.key),
    max: formatNumber(locale, Math.max(...bins.map((b) => b.people))),
  })
  return { chart, alt }
}

export interface FiguresView {
  /** The chart's address: the language and count in it, so a cache keeps it until either changes. */
  chartUrl: string
  chartAlt: string
  chartWidth: number
  chartHeight: number
  countries: { name: string; count: string }[]
  note: string
}

/** What the campaign page shows of its figures; null before anyone's signature counts. */
export function figuresView(slug: string, stats: CampaignStats, locale: Locale, t: Translate): FiguresView | null {
  const drawn = signatureChart(stats, locale, t)
  if (!drawn) return null
  return {
    chartUrl: `/campaigns/${slug}/chart.svg?hl=${locale}&n=${stats.signatureCount}`,
    chartAlt: drawn.alt,
    chartWidth: drawn.chart.width,
    chartHeight: drawn.chart.height,
    countries: stats.byCountry.map((c) => ({
      name: c.country === OTHER_COUNTRIES ? t('figures.other') : countryName(locale, c.country),
      count: formatNumber(locale, c.count),
    })),
    note: t('figures.note', { min: formatNumber(locale, MIN_COUNTRY_COUNT) }),
  }
}
