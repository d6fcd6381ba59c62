import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { alertProgress, controlAlert } from '../../../../modules/alerts/service.ts'
import { idParam } from '../reports/schema.ts'
import { alertResponse } from '../responses.ts'

export default async function alertsApi(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  app.addHook('preHandler', app.requireOrganizer)

  const byId = { schema: { params: idParam, response: alertResponse } }
  app.get('/:id', byId, async (request) => alertProgress(app.db, request.params.id))

  for (const action of ['pause', 'resume', 'cancel'] as const) {
    app.post(`/:id/${action}`, byId, async (request) =>
      controlAlert(app.db, { id: request.organizer!.id, via: 'api' }, request.params.id, action),
    )
  }
}
