// Incident reports in the console: the list of every report, the create form (a draft), one page
// per report to publish it (which starts its alert) or retract it with a public note, and one page
// per report and language to translate its summary, place and province.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Locale } from '../../db/types.ts'
import { AppError } from '../../errors.ts'
import { countryOptions } from '../../i18n/countries.ts'
import { isLocale, langTag, languageName, locales } from '../../i18n/index.ts'
import {
  campaignChoices,
  createDraft,
  publishDraft,
  reportsPage,
  reportView,
  retractPublished,
  translateFromConsole,
} from '../../modules/reports/console.ts'
import type { ReportRow } from '../../modules/reports/repository.ts'
import { findReport } from '../../modules/reports/service.ts'
import { retractBody } from '../api/v1/reports/schema.ts'
import { actorOf, formErrorOf, formValues, page, param, parseForm, type FormValues } from './forms.ts'
import { parseReportForm, parseTranslationForm, translationValues } from './report-form.ts'
import { idParam, localeField, pageQuery } from './schema.ts'

const organizer = { config: { access: 'organizer' as const } }

const translationParams = idParam.extend({ locale: localeField })

// After a translation is saved or removed, the report's page says which (?translated=ko).
const translationNotices = { translated: 'console.report.translationSaved', untranslated: 'console.report.translationRemoved' } as const

function noticeOf(request: FastifyRequest) {
  const query = (request.query ?? {}) as Record<string, unknown>
  for (const [flag, key] of Object.entries(translationNotices)) {
    const locale = query[flag]
    if (isLocale(locale)) return request.t(key, { language: languageName(locale) })
  }
  return undefined
}

export default async function reports(app: FastifyInstance) {
  app.get('/reports', organizer, async (request, reply) => {
    const { page: n } = pageQuery.parse(request.query ?? {})
    return page(reply, 'reports/list', { list: await reportsPage(app.db, n ?? 1) })
  })

  async function renderForm(request: FastifyRequest, reply: FastifyReply, values: FormValues, errors = {}, status = 200) {
    const campaigns = await campaignChoices(app.db)
    return page(reply, 'reports/form', { values, errors, campaigns, countries: countryOptions(request.locale) }, status)
  }

  // Most reports the organizations track are from China, so the country starts there; an organizer
  // most often writes in the language they read the console in.
  app.get('/reports/new', organizer, async (request, reply) =>
    renderForm(request, reply, { country: 'CN', locale: request.locale }),
  )

  app.post('/reports', organizer, async (request, reply) => {
    const values = formValues(request)
    const parsed = parseReportForm(request, values)
    if (!parsed.ok) return renderForm(request, reply, values, parsed.errors, 400)
    try {
      const row = await createDraft(app.db, actorOf(request), parsed.data)
      return reply.redirect(`/admin/reports/${row.id}`, 303)
    } catch (err) {
      const { status, errors } = formErrorOf(request, err)
      return renderForm(request, reply, values, errors, status)
    }
  })

  async function showReport(
    reply: FastifyReply,
    id: string,
    form: { values?: FormValues; errors?: Record<string, string>; notice?: string | undefined } = {},
    status = 200,
  ) {
    const view = await reportView(app.db, id)
    const written = { writtenLang: langTag(view.report.locale), otherLocales: locales.filter((l) => l !== view.report.locale) }
    return page(reply, 'reports/show', { ...view, ...written, ...form }, status)
  }

  app.get('/reports/:id', organizer, async (request, reply) =>
    showReport(reply, param(idParam, request.params).id, { notice: noticeOf(request) }),
  )

  app.post('/reports/:id/publish', organizer, async (request, reply) => {
    const { id } = param(idParam, request.params)
    try {
      const { alertId } = await publishDraft(app.db, actorOf(request), id)
      return reply.redirect(`/admin/alerts/${alertId}`, 303)
    } catch (err) {
      const { status, errors } = formErrorOf(request, err)
      return showReport(reply, id, { errors }, status)
    }
  })

  app.post('/reports/:id/retract', organizer, async (request, reply) => {
    const { id } = param(idParam, request.params)
    const values = formValues(request)
    const parsed = parseForm(request, retractBody, values)
    if (!parsed.ok) return showReport(reply, id, { values, errors: parsed.errors }, 400)
    try {
      const { alertId } = await retractPublished(app.db, actorOf(request), id, parsed.data.note)
      return reply.redirect(`/admin/alerts/${alertId}`, 303)
    } catch (err) {
      const { status, errors } = formErrorOf(request, err)
      return showReport(reply, id, { values, errors }, status)
    }
  })

  /** The report and the language to translate it into; a report is not translated into its own. */
  async function translationTarget(request: FastifyRequest) {
    const { id, locale } = param(translationParams, request.params)
    const report = await findReport(app.db, id)
    if (report.locale === locale) throw new AppError('not_found')
    return { report, locale: locale as Locale }
  }

  function renderTranslation(
    reply: FastifyReply,
    report: ReportRow,
    locale: Locale,
    values: FormValues,
    errors: Record<string, string> = {},
    status = 200,
  ) {
    // The original and the translation each carry their language, for screen readers and input methods.
    const langs = { originalLang: langTag(report.locale), translationLang: langTag(locale) }
    return page(reply, 'reports/translation', { report, locale, values, errors, ...langs }, status)
  }

  app.get('/reports/:id/translations/:locale', organizer, async (request, reply) => {
    const { report, locale } = await translationTarget(request)
    return renderTranslation(reply, report, locale, translationValues(report, locale))
  })

  app.post('/reports/:id/translations/:locale', organizer, async (request, reply) => {
    const { report, locale } = await translationTarget(request)
    const values = formValues(request)
    const parsed = parseTranslationForm(request, values)
    if (!parsed.ok) return renderTranslation(reply, report, locale, values, parsed.errors, 400)
    try {
      const saved = await translateFromConsole(app.db, actorOf(request), report.id, locale, parsed.data)
      const flag = saved.translations[locale] ? 'translated' : 'untranslated'
      return reply.redirect(`/admin/reports/${report.id}?${flag}=${locale}`, 303)
    } catch (err) {
      // Retracted since the form was opened: the page now says translations are closed.
      const { status, errors } = formErrorOf(request, err)
      return renderTranslation(reply, await findReport(app.db, report.id), locale, values, errors, status)
    }
  })
}
