// Incident reports in the console: the list of every report, the create form (a draft), one page
// per report to publish it (which starts its alert) or retract it with a public note, and one page
// per report and language to translate its summary, place and province.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Locale } from '../../db/types.ts'
import { AppError, notFound } from '../../errors.ts'
import { isLocale, langTag, languageName, locales } from '../../i18n/index.ts'
import { campaignChoices, reportsPage, reportView } from '../../modules/reports/overview.ts'
import { createComposer } from '../../present/mail.ts'
import {
  createReport,
  deleteDraft,
  editDraft,
  findReport,
  inputOf,
  publishReport,
  retractReport,
  translateReport,
} from '../../modules/reports/service.ts'
import { formBody } from '../../plugins/validation.ts'
import { retractBody } from '../api/v1/reports/schema.ts'
import { actorOf, consoleForm, page } from './forms.ts'
import { reportForm, reportFormValues, reportTranslationForm, translationValues } from './report-form.ts'
import { idLocaleParams, idParam, reportsQuery } from './schema.ts'
import { dayAfter, searchValues } from './search.ts'

/** The links of a preview are made from a nonce no subscriber has: they open "unknown or expired". */
const PREVIEW_NONCE = Buffer.alloc(16)

const organizer = { config: { access: 'organizer' as const } }
const byId = { ...organizer, schema: { params: idParam } }

// After a translation is saved or removed, the report's page says which (?translated=ko).
const translationNotices = {
  translated: 'console.report.translationSaved',
  untranslated: 'console.report.translationRemoved',
} as const
const noticeQuery = z.object({
  translated: z.unknown().optional(),
  untranslated: z.unknown().optional(),
  saved: z.unknown().optional(),
})

export default async function reports(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  // A search that cannot be read: every report, the form as typed, each error at its field.
  const list = {
    config: {
      ...organizer.config,
      ...consoleForm('reports/list', async (request) => ({
        list: await reportsPage(app.db, {}, { dir: 'after' }),
        values: searchValues(request.query),
        filter: {},
      })),
    },
    schema: { querystring: reportsQuery },
  }
  app.get('/reports', list, async (request, reply) => {
    const { filter, page: key } = request.query
    const notice = filter.deleted === '1' ? request.t('console.report.deleted') : undefined
    const search = { ...filter, text: filter.q, before: dayAfter(filter.to) }
    return page(reply, 'reports/list', {
      list: await reportsPage(app.db, search, key),
      filter,
      values: searchValues(request.query),
      notice,
    })
  })

  const formData = async (request: FastifyRequest) => ({
    campaigns: await campaignChoices(app.db),
    countries: app.present.countryOptions(request.locale),
  })

  // Most reports the organizations track are from China, so the country starts there; an organizer
  // most often writes in the language they read the console in.
  app.get('/reports/new', organizer, async (request, reply) =>
    page(reply, 'reports/form', { values: { country: 'CN', locale: request.locale }, ...(await formData(request)) }),
  )

  const create = {
    config: { ...organizer.config, ...consoleForm('reports/form', formData) },
    schema: { body: reportForm },
  }
  app.post('/reports', create, async (request, reply) => {
    const row = await createReport(app.db, actorOf(request), request.body)
    return reply.redirect(`/admin/reports/${row.id}`, 303)
  })

  async function reportPage(id: string) {
    const view = await reportView(app.db, id)
    // The original and its translations each carry their language, for screen readers and input methods.
    const written = {
      writtenLang: langTag(view.report.locale),
      otherLocales: locales.filter((l) => l !== view.report.locale),
    }
    return { ...view, ...written }
  }

  app.get(
    '/reports/:id',
    { ...byId, schema: { params: idParam, querystring: noticeQuery } },
    async (request, reply) => {
      let notice = request.query.saved === '1' ? request.t('console.report.saved') : undefined
      for (const [flag, key] of Object.entries(translationNotices)) {
        const locale = request.query[flag as keyof typeof translationNotices]
        if (!notice && isLocale(locale)) notice = request.t(key, { language: languageName(locale) })
      }
      return page(reply, 'reports/show', { ...(await reportPage(request.params.id)), notice })
    },
  )

  // The alert email a draft would send, in one language, before the button: subject and text on
  // a console page, the HTML on its own (inline styles need their own CSP; no script, no framing).
  const byIdLocale = { ...organizer, schema: { params: idLocaleParams } }
  async function previewOf(id: string, locale: Locale) {
    const report = await findReport(app.db, id)
    // A composer of its own: the workers' memo of templates must never hold a draft's text.
    const compose = createComposer({ db: app.db, config: app.config })
    const alert = { id: `preview-${id}`, report_id: id, update_id: null, kind: 'report' as const }
    const email = await compose.alert(alert, locale)
    if (!email) throw notFound()
    return { report, email: email(PREVIEW_NONCE) }
  }
  app.get('/reports/:id/preview/:locale', byIdLocale, async (request, reply) => {
    const { id, locale } = request.params
    const { report, email } = await previewOf(id, locale)
    return page(reply, 'reports/preview', {
      report,
      locale,
      language: languageName(locale),
      previewLang: langTag(locale),
      subject: email.subject,
      text: email.text,
      untranslated: locale !== report.locale && !report.translations[locale],
    })
  })
  app.get('/reports/:id/preview/:locale/html', byIdLocale, async (request, reply) => {
    const { email } = await previewOf(request.params.id, request.params.locale)
    return reply
      .header(
        'Content-Security-Policy',
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; form-action 'none'; base-uri 'none'; sandbox",
      )
      .type('text/html; charset=utf-8')
      .send(email.html)
  })

  // A draft's edit and deletion; a report published meanwhile is refused on its own page.
  async function draftOf(id: string) {
    const report = await findReport(app.db, id)
    if (report.status !== 'draft') throw new AppError('conflict', undefined, 'console.report.notDraft')
    return report
  }
  const editData = async (request: FastifyRequest) => ({
    ...(await formData(request)),
    editing: idParam.parse(request.params).id,
  })
  app.get('/reports/:id/edit', byId, async (request, reply) => {
    const report = await draftOf(request.params.id)
    return page(reply, 'reports/form', { values: reportFormValues(report), ...(await editData(request)) })
  })
  const edit = {
    config: { ...organizer.config, ...consoleForm('reports/form', editData) },
    schema: { params: idParam, body: reportForm },
  }
  app.post('/reports/:id/edit', edit, async (request, reply) => {
    const { id } = request.params
    // The form holds no translations: they stay as the draft has them.
    const { translations } = inputOf(await draftOf(id))
    await editDraft(app.db, actorOf(request), id, { ...request.body, translations })
    return reply.redirect(`/admin/reports/${id}?saved=1`, 303)
  })
  app.get('/reports/:id/delete', byId, async (request, reply) => {
    const report = await draftOf(request.params.id)
    return page(reply, 'reports/delete', { report, writtenLang: langTag(report.locale) })
  })
  const remove = {
    ...byId,
    config: {
      ...organizer.config,
      ...consoleForm('reports/show', (request) => reportPage(idParam.parse(request.params).id)),
    },
  }
  app.post('/reports/:id/delete', remove, async (request, reply) => {
    await deleteDraft(app.db, actorOf(request), request.params.id)
    return reply.redirect('/admin/reports?deleted=1', 303)
  })

  // Refused (published already, retracted meanwhile, no note): the report's page as it is now.
  const onReportPage = consoleForm('reports/show', (request) => reportPage(idParam.parse(request.params).id))

  app.post(
    '/reports/:id/publish',
    { ...byId, config: { ...organizer.config, ...onReportPage } },
    async (request, reply) => {
      const { alertId } = await publishReport(app.db, actorOf(request), request.params.id)
      return reply.redirect(`/admin/alerts/${alertId}`, 303)
    },
  )

  const retract = {
    config: { ...organizer.config, ...onReportPage },
    schema: { params: idParam, body: formBody(retractBody) },
  }
  app.post('/reports/:id/retract', retract, async (request, reply) => {
    const { alertId } = await retractReport(app.db, actorOf(request), request.params.id, request.body.note)
    return reply.redirect(`/admin/alerts/${alertId}`, 303)
  })

  /** The report and the language to translate it into; a report is not translated into its own. */
  async function translationPage(id: string, locale: Locale) {
    const report = await findReport(app.db, id)
    if (report.locale === locale) throw notFound()
    // The original and the translation each carry their language, for screen readers and input methods.
    const langs = { originalLang: langTag(report.locale), translationLang: langTag(locale) }
    return { report, locale, ...langs }
  }

  app.get('/reports/:id/translations/:locale', byIdLocale, async (request, reply) => {
    const { id, locale } = request.params
    const data = await translationPage(id, locale)
    return page(reply, 'reports/translation', { ...data, values: translationValues(data.report, locale) })
  })

  // Retracted since the form was opened: the page now says translations are closed.
  const translate = {
    config: {
      ...organizer.config,
      ...consoleForm('reports/translation', (request) => {
        const { id, locale } = idLocaleParams.parse(request.params)
        return translationPage(id, locale)
      }),
    },
    schema: { params: idLocaleParams, body: reportTranslationForm },
  }
  app.post('/reports/:id/translations/:locale', translate, async (request, reply) => {
    const { id, locale } = request.params
    await translationPage(id, locale)
    const saved = await translateReport(app.db, actorOf(request), id, locale, request.body)
    const flag = saved.translations[locale] ? 'translated' : 'untranslated'
    return reply.redirect(`/admin/reports/${id}?${flag}=${locale}`, 303)
  })
}
