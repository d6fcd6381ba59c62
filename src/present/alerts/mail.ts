// Alert and digest emails. The body of an alert is rendered once per (alert, language) with
// placeholders for the per-subscriber links, then filled in per send: 100,000 sends render
// the template a handful of times.
import { createCache } from '../../cache.ts'
import type { Config } from '../../config.ts'
import type { Locale } from '../../db/types.ts'
import { inLanguage } from '../../locale.ts'
import { translator } from '../../i18n/index.ts'
import type { AlertComposer, AlertEmail, AlertToCompose } from '../../modules/alerts/delivery.ts'
import type { DigestComposer } from '../../modules/digests/service.ts'
import * as reports from '../../modules/reports/repository.ts'
import type { ReportRow } from '../../modules/reports/repository.ts'
import { PURPOSE } from '../../modules/subscribers/service.ts'
import { confirmToken } from '../../security.ts'
import { localiseReport, whereHtml, whereText } from '../reports/localise.ts'
import { reportPath } from '../reports/page.ts'
import { renderUpdateEmail, updateHeaders, updateLinks } from '../updates/mail.ts'
import type { PresentDeps } from '../email/deps.ts'

const UNSUBSCRIBE = 'UA-UNSUBSCRIBE-URL'
const PREFERENCES = 'UA-PREFERENCES-URL'

/** The links every alert and digest carries: one-click unsubscribe and preferences. */
export function subscriberLinks(config: Config, nonce: Buffer, locale: Locale) {
  const unsubscribeToken = confirmToken(config.secretKey, PURPOSE.unsubscribe, nonce)
  return {
    unsubscribeToken,
    unsubscribeUrl: inLanguage(`${config.publicUrl}/u/${unsubscribeToken}`, locale),
    preferencesUrl: inLanguage(
      `${config.publicUrl}/alerts/preferences/${confirmToken(config.secretKey, PURPOSE.preferences, nonce)}`,
      locale,
    ),
  }
}

/** The double opt-in link of a new subscription. */
export function subscriptionConfirmUrl(config: Config, nonce: Buffer, locale: Locale) {
  return inLanguage(
    `${config.publicUrl}/alerts/confirm/${confirmToken(config.secretKey, PURPOSE.confirm, nonce)}`,
    locale,
  )
}

type Links = ReturnType<typeof subscriberLinks>

/** RFC 2369 / RFC 8058 headers every alert and digest carries, for one instance's config. */
function bulkHeaders(config: Config): (links: Links) => Record<string, string> {
  const host = new URL(config.publicUrl).hostname
  const from = /<([^>]+)>/.exec(config.mailFrom)?.[1] ?? config.mailFrom
  return (links) => ({
    'List-Unsubscribe': `<${links.unsubscribeUrl}>, <mailto:${from}?subject=unsubscribe%20${links.unsubscribeToken}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'List-Id': `Urgent Action alerts <alerts.${host}>`,
  })
}

/**
 * A report as an email shows it, in the reader's language where it was translated, with a link
 * to its page that opens in that language.
 */
export function reportView(r: ReportRow, locale: Locale, publicUrl: string) {
  const texts = localiseReport(r, locale)
  const t = translator(locale)
  return {
    url: inLanguage(`${publicUrl}${reportPath(r.id)}`, locale),
    kind: r.kind,
    people: r.people_count,
    place: texts.place,
    province: texts.province,
    /** Where, in the tracker's words: a name left as written is set apart, and in HTML marked by its lang. */
    where: whereText(t, texts),
    whereHtml: whereHtml(t, texts),
    date: r.occurred_day,
    confidence: r.confidence,
    summary: texts.summary,
    summaryLang: texts.summaryLang,
    sourceName: r.source_name,
    sourceUrl: r.source_url,
    correction: r.correction_note,
  }
}

// A template cut at its link placeholders once, so each send only joins the pieces; split() with
// a capture group puts each placeholder at an odd index.
const PLACEHOLDER = new RegExp(`(${UNSUBSCRIBE}|${PREFERENCES})`)
type Template = { subject: string; html: string[]; text: string[] }

function fill(parts: string[], links: Links): string {
  return parts
    .map((part, i) => (i % 2 === 0 ? part : part === UNSUBSCRIBE ? links.unsubscribeUrl : links.preferencesUrl))
    .join('')
}

/** The alert and digest emails of one worker instance, with its own memo of alert templates. */
export function createAlertMail(deps: PresentDeps): AlertComposer & DigestComposer {
  const { config } = deps
  const headers = bulkHeaders(config)
  const headersOfUpdates = updateHeaders(config)
  const templates = createCache<string, Promise<Template | undefined>>({ max: 300 })

  // An update's recipient is a signature: its one link stops that campaign's updates.
  function addressed(template: Template, kind: AlertToCompose['kind'], locale: Locale): AlertEmail {
    return (nonce) => {
      const update = kind === 'update'
      const links = update
        ? { ...updateLinks(config, nonce, locale), unsubscribeToken: '' }
        : subscriberLinks(config, nonce, locale)
      return {
        subject: template.subject,
        html: fill(template.html, links),
        text: fill(template.text, links),
        headers: update ? headersOfUpdates(links) : headers(links),
      }
    }
  }

  async function renderAlert(alert: AlertToCompose, locale: Locale): Promise<Template | undefined> {
    if (alert.kind === 'update') {
      const email = alert.update_id && (await renderUpdateEmail(deps, alert.update_id, locale, UNSUBSCRIBE))
      if (!email) return undefined
      return { subject: email.subject, html: email.html.split(PLACEHOLDER), text: email.text.split(PLACEHOLDER) }
    }
    if (!alert.report_id) return undefined
    const report = await reports.findById(deps.db, alert.report_id)
    if (!report) return undefined
    const retraction = alert.kind === 'retraction'
    const view = reportView(report, locale, config.publicUrl)
    const t = { kind: translator(locale)(`kind.${report.kind}`), count: report.people_count, where: view.where }
    const email = deps.render(
      'alert',
      locale,
      { key: retraction ? 'mail.alert.retraction.subject' : 'mail.alert.subject', params: t },
      {
        title: view.place,
        retraction,
        report: view,
        reportUrl: view.url,
        reportsUrl: inLanguage(`${config.publicUrl}/reports`, locale),
        campaignUrl: report.campaign_slug
          ? inLanguage(`${config.publicUrl}/campaigns/${report.campaign_slug}`, locale)
          : null,
        unsubscribeUrl: UNSUBSCRIBE,
        preferencesUrl: PREFERENCES,
      },
    )
    return { subject: email.subject, html: email.html.split(PLACEHOLDER), text: email.text.split(PLACEHOLDER) }
  }

  return {
    async alert(alert, locale) {
      const key = `${alert.id}:${locale}`
      let template = templates.get(key)
      if (!template) {
        template = renderAlert(alert, locale)
        templates.set(key, template)
        template.catch(() => templates.delete(key))
      }
      const rendered = await template
      return rendered && addressed(rendered, alert.kind, locale)
    },

    digest({ locale, nonce, published, retracted }) {
      const links = subscriberLinks(config, nonce, locale)
      const email = deps.render(
        'digest',
        locale,
        published.length
          ? { key: 'mail.digest.subject', params: { count: published.length } }
          : { key: 'mail.digest.subjectRetracted', params: { count: retracted.length } },
        {
          title: 'digest',
          reports: published.map((r) => reportView(r, locale, config.publicUrl)),
          retracted: retracted.map((r) => reportView(r, locale, config.publicUrl)),
          reportsUrl: inLanguage(`${config.publicUrl}/reports`, locale),
          unsubscribeUrl: links.unsubscribeUrl,
          preferencesUrl: links.preferencesUrl,
        },
      )
      return { ...email, headers: headers(links) }
    },
  }
}
