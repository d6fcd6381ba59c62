import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { toJson } from '../../../../present/reports/json.ts'
import {
  createReport,
  deleteDraft,
  editDraft,
  findReport,
  inputOf,
  listPublishedReports,
  publishReport,
  reportTotals,
  retractReport,
  translateReport,
} from '../../../../modules/reports/service.ts'
import { jsonBody } from '../../../../plugins/validation.ts'
import { AppError } from '../../../../errors.ts'
import { issueFields } from '../../../../plugins/validation.ts'
import { createReportBody, idParam, patchReportBody, reportTexts, retractBody, translationParams } from './schema.ts'
import {
  deletedResponse,
  reportAlertResponse,
  reportCreatedResponse,
  reportResponse,
  reportsResponse,
} from '../responses.ts'

export default async function reportsApi(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  // Published reports only, as the contract says; a retraction reaches partners through the
  // Atom feed, which sends the entry again marked "Retracted" with its correction.
  app.get('/', { schema: { response: reportsResponse } }, async () => {
    const [rows, totals] = await Promise.all([listPublishedReports(app.db), reportTotals(app.db)])
    return { reports: rows.map(toJson), totals }
  })

  app.register(async function organizerRoutes(instance) {
    const scoped = instance.withTypeProvider<ZodTypeProvider>()
    scoped.addHook('preHandler', scoped.requireOrganizer)
    const actor = (request: FastifyRequest) => ({ id: request.organizer!.id, via: 'api' as const })

    const create = { schema: { body: jsonBody(createReportBody), response: reportCreatedResponse } }
    scoped.post('/', create, async (request, reply) => {
      const row = await createReport(app.db, actor(request), request.body)
      return reply.code(201).send(toJson(row))
    })

    scoped.post(
      '/:id/publish',
      { schema: { params: idParam, response: reportAlertResponse } },
      async (request, reply) => {
        const { report, alertId } = await publishReport(app.db, actor(request), request.params.id)
        return reply.code(202).send({ report: toJson(report), alert: { id: alertId } })
      },
    )

    // A draft's edit: the fields sent replace the draft's, and the whole is judged as a new report.
    const patch = { schema: { params: idParam, body: jsonBody(patchReportBody), response: reportResponse } }
    scoped.patch('/:id', patch, async (request) => {
      const { id } = request.params
      const before = inputOf(await findReport(app.db, id))
      const { place, ...rest } = request.body
      const merged = createReportBody.safeParse({ ...before, ...rest, place: { ...before.place, ...place } })
      if (!merged.success) throw new AppError('invalid_input', issueFields(merged.error.issues))
      return toJson(await editDraft(app.db, actor(request), id, merged.data))
    })

    scoped.delete('/:id', { schema: { params: idParam, response: deletedResponse } }, async (request, reply) => {
      await deleteDraft(app.db, actor(request), request.params.id)
      return reply.code(204).send(null)
    })

    const retract = { schema: { params: idParam, body: jsonBody(retractBody), response: reportAlertResponse } }
    scoped.post('/:id/retract', retract, async (request, reply) => {
      const { id } = request.params
      const { report, alertId } = await retractReport(app.db, actor(request), id, request.body.note)
      return reply.code(202).send({ report: toJson(report), alert: { id: alertId } })
    })

    // A report's texts in one language; an empty object removes that language's translation.
    const translate = { schema: { params: translationParams, body: jsonBody(reportTexts), response: reportResponse } }
    scoped.put('/:id/translations/:locale', translate, async (request) => {
      const { id, locale } = request.params
      return toJson(await translateReport(app.db, actor(request), id, locale, request.body))
    })
  })
}
