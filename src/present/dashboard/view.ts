// The console dashboard in the organizer's language: each live campaign's last days of signatures
// as a small column chart drawn here (the tracker's columnChart, inline SVG, no script), and the
// subscribers' topics named as readers of that language know them.
import { formatNumber, langTag, type Locale, type Translate } from '../../i18n/index.ts'
import type { Dashboard, DashboardCampaign } from '../../modules/dashboard/service.ts'
import { knownProvince } from '../../place-names.ts'
import { columnChart, type ColumnChart } from '../reports/charts.ts'

export interface DashboardChart {
  chart: ColumnChart
  /** The chart in words: the SVG's title. */
  alt: string
}

const dayFormats = new Map<Locale, Intl.DateTimeFormat>()
/** "Dec 7", "12월 7일": a day of the chart's axis (keys are local dates already, hence UTC here). */
function dayText(locale: Locale, day: string): string {
  let format = dayFormats.get(locale)
  if (!format) {
    format = new Intl.DateTimeFormat(langTag(locale), { month: 'short', day: 'numeric', timeZone: 'UTC' })
    dayFormats.set(locale, format)
  }
  return format.format(new Date(`${day}T00:00:00Z`))
}

export function campaignChart(c: DashboardCampaign, locale: Locale, t: Translate): DashboardChart {
  const number = (n: number) => formatNumber(locale, n)
  const period = (day: string) => dayText(locale, day)
  const bins = c.days.map((d) => ({ key: d.day, people: d.count, reports: 0 }))
  return {
    chart: columnChart(bins, { period, number }),
    alt: t('dashboard.chartAlt', {
      from: period(c.days[0]!.day),
      to: period(c.days[c.days.length - 1]!.day),
      total: number(c.days.reduce((sum, d) => sum + d.count, 0)),
      max: number(Math.max(...c.days.map((d) => d.count))),
    }),
  }
}

export interface TopicRow {
  label: string
  /** The language of the label when it is not the console's (a campaign's title). */
  lang: string | null
  href: string | null
  immediate: number
  daily: number
}

/** One row per topic: everything first, then campaigns, then provinces, each the largest first. */
export function topicRows(rows: Dashboard['subscribers'], locale: Locale, t: Translate): TopicRow[] {
  const byTopic = new Map<string, TopicRow & { order: number }>()
  for (const r of rows) {
    const key = `${r.kind} ${r.topic ?? ''}`
    let row = byTopic.get(key)
    if (!row) {
      row =
        r.kind === 'all'
          ? { label: t('dashboard.topic.all'), lang: null, href: null, immediate: 0, daily: 0, order: 0 }
          : r.kind === 'campaign'
            ? {
                label: r.title ?? r.topic!,
                lang: r.locale === locale ? null : langTag(r.locale as Locale),
                href: `/admin/campaigns/${r.topic}`,
                immediate: 0,
                daily: 0,
                order: 1,
              }
            : {
                label: knownProvince(r.topic!, undefined, locale) ?? r.topic!,
                lang: null,
                href: null,
                immediate: 0,
                daily: 0,
                order: 2,
              }
      byTopic.set(key, row)
    }
    row[r.frequency] += r.count
  }
  return [...byTopic.values()]
    .sort(
      (a, b) => a.order - b.order || b.immediate + b.daily - (a.immediate + a.daily) || a.label.localeCompare(b.label),
    )
    .map(({ order: _order, ...row }) => row)
}

/** A webhook endpoint without its query: a receiver's token can ride there. */
export function endpointText(url: string): string {
  try {
    const u = new URL(url)
    return `${u.origin}${u.pathname}`
  } catch {
    return ''
  }
}

export function dashboardView(d: Dashboard, locale: Locale, t: Translate) {
  return {
    campaigns: d.campaigns.map((c) => ({
      ...c,
      lang: c.locale === locale ? null : langTag(c.locale as Locale),
      drawn: campaignChart(c, locale, t),
    })),
    topics: topicRows(d.subscribers, locale, t),
    alerts: d.alerts,
    outbox: d.outbox,
    webhookFailures: d.failures.webhooks.map((w) => ({ ...w, endpoint: endpointText(w.url) })),
    jobFailures: d.failures.jobs,
  }
}
