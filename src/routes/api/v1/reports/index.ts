import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { toJson } from '../../../../present/reports/json.ts'
import {
  createReport,
  listPublishedReports,
  publishReport,
  reportTotals,
  retractReport,
  translateReport,
} from '../../../../modules/reports/service.ts'
import { jsonBody } from '../../../../plugins/validation.ts'
import { createReportBody, idParam, reportTexts, retractBody, translationParams } from './schema.ts'
import { reportAlertResponse, reportCreatedResponse, reportResponse, reportsResponse } from '../responses.ts'

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
