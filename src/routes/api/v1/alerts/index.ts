import type { FastifyInstance } from 'fastify'
import { alertProgress, controlAlert } from '../../../../modules/alerts/service.ts'
import { parseApi } from '../../../validation.ts'
import { idParam } from '../reports/schema.ts'

export default async function alertsApi(app: FastifyInstance) {
  app.addHook('preHandler', app.requireOrganizer)

  app.get('/:id', async (request) => {
    const { id } = parseApi(idParam, request.params)
    return alertProgress(app.db, id)
  })

  for (const action of ['pause', 'resume', 'cancel'] as const) {
    app.post(`/:id/${action}`, async (request) => {
      const { id } = parseApi(idParam, request.params)
      return controlAlert(app.db, id, action, { id: request.organizer!.id, via: 'api' })
    })
  }
}
