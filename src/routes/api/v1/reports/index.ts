import type { FastifyInstance, FastifyRequest } from 'fastify'
import { toJson } from '../../../../modules/reports/present.ts'
import {
  createReport,
  listPublishedReports,
  publishReport,
  reportTotals,
  retractReport,
  translateReport,
} from '../../../../modules/reports/service.ts'
import { parseApi } from '../../../validation.ts'
import { createReportBody, idParam, reportTexts, retractBody, translationParams } from './schema.ts'

export default async function reportsApi(app: FastifyInstance) {
  // Published reports only, as the contract says; a retraction reaches partners through the
  // Atom feed, which sends the entry again marked "Retracted" with its correction.
  app.get('/', async () => {
    const [rows, totals] = await Promise.all([listPublishedReports(app.db), reportTotals(app.db)])
    return { reports: rows.map(toJson), totals }
  })

  app.register(async function organizerRoutes(scoped) {
    scoped.addHook('preHandler', scoped.requireOrganizer)
    const actor = (request: FastifyRequest) => ({ id: request.organizer!.id, via: 'api' as const })

    scoped.post('/', async (request, reply) => {
      const body = parseApi(createReportBody, request.body)
      const row = await createReport(app.db, request.organizer!.id, body, actor(request))
      return reply.code(201).send(toJson(row))
    })

    scoped.post('/:id/publish', async (request, reply) => {
      const { id } = parseApi(idParam, request.params)
      const { report, alertId } = await publishReport(app.db, id, actor(request))
      return reply.code(202).send({ report: toJson(report), alert: { id: alertId } })
    })

    scoped.post('/:id/retract', async (request, reply) => {
      const { id } = parseApi(idParam, request.params)
      const { note } = parseApi(retractBody, request.body)
      const { report, alertId } = await retractReport(app.db, id, note, actor(request))
      return reply.code(202).send({ report: toJson(report), alert: { id: alertId } })
    })

    // A report's texts in one language; an empty object removes that language's translation.
    scoped.put('/:id/translations/:locale', async (request) => {
      const { id, locale } = parseApi(translationParams, request.params)
      const texts = parseApi(reportTexts, request.body ?? {})
      return toJson(await translateReport(app.db, id, locale, texts, actor(request)))
    })
  })
}
