// Incident reports in the console: the list of every report, the create form (a draft), and
// one page per report to publish it (which starts its alert) or retract it with a public note.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { countryOptions } from '../../i18n/countries.ts'
import {
  campaignChoices,
  createDraft,
  publishDraft,
  reportsPage,
  reportView,
  retractPublished,
} from '../../modules/reports/console.ts'
import { retractBody } from '../api/v1/reports/schema.ts'
import { actorOf, formErrorOf, formValues, page, param, parseForm, type FormValues } from './forms.ts'
import { parseReportForm } from './report-form.ts'
import { idParam, pageQuery } from './schema.ts'

const organizer = { config: { access: 'organizer' as const } }

export default async function reports(app: FastifyInstance) {
  app.get('/reports', organizer, async (request, reply) => {
    const { page: n } = pageQuery.parse(request.query ?? {})
    return page(reply, 'reports/list', { list: await reportsPage(app.db, n ?? 1) })
  })

  async function renderForm(request: FastifyRequest, reply: FastifyReply, values: FormValues, errors = {}, status = 200) {
    const campaigns = await campaignChoices(app.db)
    return page(reply, 'reports/form', { values, errors, campaigns, countries: countryOptions(request.locale) }, status)
  }

  // Most reports the organizations track are from China, so the country starts there.
  app.get('/reports/new', organizer, async (request, reply) => renderForm(request, reply, { country: 'CN' }))

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

  async function showReport(reply: FastifyReply, id: string, form: { values?: FormValues; errors?: Record<string, string> } = {}, status = 200) {
    return page(reply, 'reports/show', { ...(await reportView(app.db, id)), ...form }, status)
  }

  app.get('/reports/:id', organizer, async (request, reply) => showReport(reply, param(idParam, request.params).id))

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
}
