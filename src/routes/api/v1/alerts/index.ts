import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { alertProgress, controlAlert } from '../../../../modules/alerts/service.ts'
import { idParam } from '../reports/schema.ts'

export default async function alertsApi(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  app.addHook('preHandler', app.requireOrganizer)

  app.get('/:id', { schema: { params: idParam } }, async (request) => alertProgress(app.db, request.params.id))

  for (const action of ['pause', 'resume', 'cancel'] as const) {
    app.post(`/:id/${action}`, { schema: { params: idParam } }, async (request) =>
      controlAlert(app.db, { id: request.organizer!.id, via: 'api' }, request.params.id, action),
    )
  }
}
