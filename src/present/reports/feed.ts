// The Atom feed of published reports (RFC 4287). A retraction is the same entry (same id) with a
// later <updated> and a title that says so, which is how feed readers show a correction.
import { formatDate, langTag, type Locale, type MessageKey, type Translate } from '../../i18n/index.ts'
import { counts, dayDate, reportPath, safeSourceUrl, SOURCE_REL } from './page.ts'
import { xmlEscape } from './escape.ts'
import { localiseReport, whereHtml, whereText } from './localise.ts'
import type { ReportRow } from '../../modules/reports/repository.ts'

// XML 1.0 forbids most C0 controls, lone surrogates (the u flag makes the class match only those)
// and U+FFFE/U+FFFF; one of them in a summary would make the whole feed unreadable.

export interface FeedOptions {
  publicUrl: string
  locale: Locale
  t: Translate
  /** <updated> of a feed with no entries. */
  now: Date
}

function entryTitle(r: ReportRow, locale: Locale, t: Translate): string {
  const title = t('tracker.entry.title', {
    kind: t(`kind.${r.kind}` as MessageKey),
    people: counts(locale, t).people(r.people_count),
    where: whereText(t, localiseReport(r, locale)),
  })
  return r.status === 'retracted' ? t('tracker.entry.retracted', { title }) : title
}

/** The entry's body as HTML; every value is escaped here, and the whole is escaped again as XML. */
function entryHtml(r: ReportRow, locale: Locale, t: Translate): string {
  const h = xmlEscape
  const parts: string[] = []
  if (r.status === 'retracted') {
    parts.push(
      `<p><strong>${h(t('report.retracted'))}.</strong> ${h(t('report.correction'))}: ${h(r.correction_note ?? '')}</p>`,
    )
  }
  const texts = localiseReport(r, locale)
  parts.push(
    `<p>${h(formatDate(locale, dayDate(r.occurred_day)))} · ${whereHtml(t, texts)} · ${h(counts(locale, t).people(r.people_count))}</p>`,
  )
  parts.push(`<p lang="${texts.summaryLang}">${h(texts.summary)}</p>`)
  const url = safeSourceUrl(r.source_url)
  const name = r.source_name ?? url ?? t('tracker.noSource')
  const source = url ? `<a href="${h(url)}" rel="${SOURCE_REL}">${h(name)}</a>` : h(name)
  parts.push(
    `<p>${h(t('report.source'))}: ${source} · ${h(t('report.confidence'))}: ${h(t(`confidence.${r.confidence}` as MessageKey))}</p>`,
  )
  return parts.join('')
}

function timestamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

function updatedOf(r: ReportRow): Date {
  return r.retracted_at ?? r.published_at ?? r.created_at
}

/** The whole feed document. Links are absolute, from PUBLIC_URL, as feed readers need. */
export function atomFeed(rows: readonly ReportRow[], o: FeedOptions): string {
  const base = o.publicUrl.replace(/\/+$/, '')
  const x = xmlEscape
  const self = `${base}/reports.atom?lang=${o.locale}`
  const page = `${base}/reports?lang=${o.locale}`
  const updated = rows.reduce((max, r) => (updatedOf(r) > max ? updatedOf(r) : max), rows.length ? new Date(0) : o.now)
  const entries = rows.map((r) => {
    const published = r.published_at ?? r.created_at
    return [
      '<entry>',
      // The id names the report, not the language or the address of its page, and never changes:
      // readers that knew an entry before reports had pages must not see it as a new one.
      `<id>${x(`${base}/reports#report-${r.id}`)}</id>`,
      `<title type="text">${x(entryTitle(r, o.locale, o.t))}</title>`,
      `<link rel="alternate" type="text/html" href="${x(`${base}${reportPath(r.id)}?lang=${o.locale}`)}"/>`,
      `<published>${timestamp(published)}</published>`,
      `<updated>${timestamp(updatedOf(r))}</updated>`,
      `<category term="${x(r.kind)}" label="${x(o.t(`kind.${r.kind}` as MessageKey))}"/>`,
      `<content type="html">${x(entryHtml(r, o.locale, o.t))}</content>`,
      '</entry>',
    ].join('\n')
  })
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${x(langTag(o.locale))}">`,
    `<id>${x(self)}</id>`,
    `<title type="text">${x(o.t('tracker.feed.title', { site: o.t('site.name') }))}</title>`,
    `<subtitle type="text">${x(o.t('tracker.intro'))}</subtitle>`,
    `<link rel="self" type="application/atom+xml" href="${x(self)}"/>`,
    `<link rel="alternate" type="text/html" href="${x(page)}"/>`,
    `<updated>${timestamp(updated)}</updated>`,
    `<author><name>${x(o.t('site.name'))}</name></author>`,
    ...entries,
    '</feed>',
    '',
  ].join('\n')
}
