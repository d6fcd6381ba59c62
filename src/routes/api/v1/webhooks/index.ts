// Webhooks for organizers (contract, "Operating it"): register an endpoint for events (its secret
// answered once), list, delete, send a test event, read the delivery log.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import {
  createWebhook,
  deleteWebhook,
  deliveryLog,
  findWebhook,
  listWebhooks,
  sendTestEvent,
  type WebhookRow,
} from '../../../../modules/webhooks/service.ts'
import { jsonBody } from '../../../../plugins/validation.ts'
import {
  createdResponse,
  deletedResponse,
  deliveriesResponse,
  idParam,
  listResponse,
  testResponse,
  webhookBody,
} from './schema.ts'

// An endpoint's query often holds the receiver's token: the API shows it to no one after the
// registration (a read token can list webhooks), as the audit log keeps it out too.
function shownUrl(url: string): string {
  const u = new URL(url)
  return u.search ? `${u.origin}${u.pathname}?…` : url
}

const toJson = (w: WebhookRow) => ({
  id: w.id,
  url: shownUrl(w.url),
  events: w.events,
  enabled: w.disabled_at === null,
  createdAt: w.created_at.toISOString(),
})

export default async function webhooksApi(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  app.addHook('preHandler', app.requireOrganizer)
  const actor = (request: FastifyRequest) => ({ id: request.organizer!.id, via: 'api' as const })

  app.get('/', { schema: { response: listResponse } }, async () => ({
    webhooks: (await listWebhooks(app.db)).map(toJson),
  }))

  const create = { schema: { body: jsonBody(webhookBody), response: createdResponse } }
  app.post('/', create, async (request, reply) => {
    const { webhook, secret } = await createWebhook(
      app.db,
      app.config.webhookAllowPrivate,
      actor(request),
      request.body,
    )
    return reply.code(201).send({ id: webhook.id, secret })
  })

  app.delete('/:id', { schema: { params: idParam, response: deletedResponse } }, async (request, reply) => {
    await deleteWebhook(app.db, actor(request), request.params.id)
    return reply.code(204).send(null)
  })

  app.post('/:id/test', { schema: { params: idParam, response: testResponse } }, async (request, reply) => {
    const deliveryId = await sendTestEvent(app.db, actor(request), request.params.id)
    return reply.code(202).send({ deliveryId })
  })

  app.get('/:id/deliveries', { schema: { params: idParam, response: deliveriesResponse } }, async (request) => {
    await findWebhook(app.db, request.params.id)
    const { attempts, pending } = await deliveryLog(app.db, request.params.id)
    return {
      pending,
      attempts: attempts.map((a) => ({
        deliveryId: a.delivery_id,
        event: a.event,
        attempt: a.attempt,
        statusCode: a.status_code,
        latencyMs: a.latency_ms,
        error: a.error,
        delivery: a.status,
        at: a.created_at.toISOString(),
      })),
    }
  })
}
