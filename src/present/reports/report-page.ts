// What a report's own page shows, in the reader's language: the report as the tracker shows it,
// with its place and province apart, when it was published or retracted, and its campaign.
import { formatDate, langTag, type Locale, type MessageKey, type Translate } from '../../i18n/index.ts'
import { reportView, SOURCE_REL } from './page.ts'
import type { ReportPageData } from './report-cache.ts'

const DESCRIPTION_MAX = 200

function shorten(text: string, max: number): string {
  const chars = [...text]
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`
}

/** What a report's share card says (present/share/card.ts), from the same view as its page. */
export function reportFacts(report: ReportPageData['report'], locale: Locale, t: Translate) {
  const regions = new Intl.DisplayNames([langTag(locale)], { type: 'region' })
  const r = reportView(report, locale, t, regions)
  return { heading: r.heading, people: r.peopleText, date: r.dateText, country: r.country, retracted: r.retracted }
}

/**
 * `campaignTitle` names the related campaign in the reader's language. The route passes it from
 * present/campaigns, which already imports this area (its charts) and so cannot be imported here.
 */
export function reportPage(
  { report, campaign }: ReportPageData,
  locale: Locale,
  t: Translate,
  campaignTitle: (c: NonNullable<ReportPageData['campaign']>) => string,
) {
  const regions = new Intl.DisplayNames([langTag(locale)], { type: 'region' })
  const r = reportView(report, locale, t, regions)
  return {
    title: r.heading,
    description: shorten(r.summary, DESCRIPTION_MAX),
    r,
    kindText: t(`kind.${r.kind}` as MessageKey),
    publishedDay: report.published_at?.toISOString().slice(0, 10) ?? null,
    publishedText: report.published_at ? formatDate(locale, report.published_at) : null,
    retractedDay: report.retracted_at?.toISOString().slice(0, 10) ?? null,
    retractedText: report.retracted_at ? formatDate(locale, report.retracted_at) : null,
    campaign: campaign ? { href: `/campaigns/${campaign.slug}`, title: campaignTitle(campaign) } : null,
    tracker: `/reports#${r.anchor}`,
    feed: { href: `/reports.atom?lang=${locale}`, title: t('tracker.feed.title', { site: t('site.name') }) },
    rel: SOURCE_REL,
  }
}
