// Alert and digest emails. The body of an alert is rendered once per (alert, language) with
// placeholders for the per-subscriber links, then filled in per send: 100,000 sends render
// the template a handful of times.
import type { Config } from '../../config.ts'
import type { Db } from '../../db/index.ts'
import type { Locale } from '../../db/types.ts'
import { translator } from '../../i18n/index.ts'
import type { EmailRenderer, RenderedEmail } from '../../mail/render.ts'
import { confirmToken } from '../../security.ts'
import { localiseReport } from '../reports/present.ts'
import type { ReportRow } from '../reports/repository.ts'
import * as reports from '../reports/repository.ts'
import { PURPOSE } from '../subscribers/service.ts'
import type { AlertRow } from './repository.ts'

const UNSUBSCRIBE = 'UA-UNSUBSCRIBE-URL'
const PREFERENCES = 'UA-PREFERENCES-URL'

/** The links every alert and digest carries: one-click unsubscribe and preferences. */
export function subscriberLinks(config: Config, nonce: Buffer) {
  const unsubscribeToken = confirmToken(config.secretKey, PURPOSE.unsubscribe, nonce)
  return {
    unsubscribeToken,
    unsubscribeUrl: `${config.publicUrl}/u/${unsubscribeToken}`,
    preferencesUrl: `${config.publicUrl}/alerts/preferences/${confirmToken(config.secretKey, PURPOSE.preferences, nonce)}`,
  }
}

/** The double opt-in link of a new subscription. */
export function subscriptionConfirmUrl(config: Config, nonce: Buffer) {
  return `${config.publicUrl}/alerts/confirm/${confirmToken(config.secretKey, PURPOSE.confirm, nonce)}`
}

const listAddresses = new WeakMap<Config, { host: string; from: string }>()

/** RFC 2369 / RFC 8058 headers every alert and digest carries. */
export function bulkHeaders(config: Config, links: { unsubscribeUrl: string; unsubscribeToken: string }) {
  let addresses = listAddresses.get(config)
  if (!addresses) {
    addresses = {
      host: new URL(config.publicUrl).hostname,
      from: /<([^>]+)>/.exec(config.mailFrom)?.[1] ?? config.mailFrom,
    }
    listAddresses.set(config, addresses)
  }
  const { host, from } = addresses
  return {
    'List-Unsubscribe': `<${links.unsubscribeUrl}>, <mailto:${from}?subject=unsubscribe%20${links.unsubscribeToken}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'List-Id': `Urgent Action alerts <alerts.${host}>`,
  }
}

// A template cut at its link placeholders once, so each send only joins the pieces.
const PLACEHOLDER = new RegExp(`(${UNSUBSCRIBE}|${PREFERENCES})`)
const pieces = new WeakMap<RenderedEmail, { html: string[]; text: string[] }>()

export function fill(email: RenderedEmail, links: { unsubscribeUrl: string; preferencesUrl: string }): RenderedEmail {
  let cut = pieces.get(email)
  if (!cut) {
    cut = { html: email.html.split(PLACEHOLDER), text: email.text.split(PLACEHOLDER) }
    pieces.set(email, cut)
  }
  // split() with a capture group puts each placeholder at an odd index.
  const put = (parts: string[]) =>
    parts.map((part, i) => (i % 2 === 0 ? part : part === UNSUBSCRIBE ? links.unsubscribeUrl : links.preferencesUrl)).join('')
  return { subject: email.subject, html: put(cut.html), text: put(cut.text) }
}

/** A report as an email shows it, in the reader's language where it was translated. */
export function reportView(r: ReportRow, locale: Locale) {
  const texts = localiseReport(r, locale)
  return {
    kind: r.kind,
    people: r.people_count,
    place: texts.place,
    province: texts.province,
    date: r.occurred_day,
    confidence: r.confidence,
    summary: texts.summary,
    summaryLang: texts.summaryLang,
    sourceName: r.source_name,
    sourceUrl: r.source_url,
    correction: r.correction_note,
  }
}

const templates = new Map<string, Promise<RenderedEmail | undefined>>()

/** The alert's email in one language, with link placeholders; memoised per (alert, language). */
export function alertTemplate(
  deps: { db: Db; config: Config; render: EmailRenderer },
  alert: Pick<AlertRow, 'id' | 'report_id' | 'kind'>,
  locale: Locale,
): Promise<RenderedEmail | undefined> {
  const key = `${alert.id}:${locale}`
  let email = templates.get(key)
  if (!email) {
    email = renderAlert(deps, alert, locale)
    if (templates.size > 300) templates.clear()
    templates.set(key, email)
    email.catch(() => templates.delete(key))
  }
  return email
}

async function renderAlert(
  deps: { db: Db; config: Config; render: EmailRenderer },
  alert: Pick<AlertRow, 'id' | 'report_id' | 'kind'>,
  locale: Locale,
) {
  const report = await reports.findById(deps.db, alert.report_id)
  if (!report) return undefined
  const { config } = deps
  const retraction = alert.kind === 'retraction'
  const view = reportView(report, locale)
  const t = {
    kind: translator(locale)(`kind.${report.kind}`),
    count: report.people_count,
    place: view.place,
    province: view.province,
  }
  return deps.render(
    'alert',
    locale,
    { key: retraction ? 'mail.alert.retraction.subject' : 'mail.alert.subject', params: t },
    {
      title: view.place,
      retraction,
      report: view,
      reportsUrl: `${config.publicUrl}/reports#report-${report.id}`,
      campaignUrl: report.campaign_slug ? `${config.publicUrl}/campaigns/${report.campaign_slug}` : null,
      unsubscribeUrl: UNSUBSCRIBE,
      preferencesUrl: PREFERENCES,
    },
  )
}
