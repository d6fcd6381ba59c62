// Webhooks in the console (issue 17, point 4): the list with the form that registers one (its
// secret shown on the answer, once), and per webhook its delivery log, a "send test event" button,
// disable or enable, and delete. Every change is audited by the service.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import {
  createWebhook,
  deleteWebhook,
  deliveryLog,
  findWebhook,
  listWebhooks,
  sendTestEvent,
  setWebhookEnabled,
  WEBHOOK_EVENTS,
  type WebhookInput,
} from '../../modules/webhooks/service.ts'
import { formatMoment } from '../../i18n/index.ts'
import { messageOf, passIssue } from '../../plugins/validation.ts'
import { webhookBody } from '../api/v1/webhooks/schema.ts'
import { actorOf, consoleForm, page } from './forms.ts'
import { idParam } from './schema.ts'

const organizer = { config: { access: 'organizer' as const } }

/** The events ticked, from a form's repeated `events` fields. */
function tickedEvents(body: unknown): string[] {
  const events = (body as { events?: unknown } | undefined)?.events
  return [events]
    .flat()
    .filter((e): e is string => typeof e === 'string')
    .slice(0, WEBHOOK_EVENTS.length * 2)
}

/** The form, read by the API's own schema; each refusal is said under its form field. */
const webhookForm = z.custom<unknown>().transform((body, ctx): WebhookInput => {
  const url = (body as { url?: unknown } | undefined)?.url
  const result = webhookBody.safeParse({ url: typeof url === 'string' ? url : '', events: tickedEvents(body) })
  if (result.success) return result.data
  const seen = new Set<string>()
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '_')
    if (seen.has(field)) continue
    seen.add(field)
    passIssue(ctx, field, field === 'events' ? 'webhooks.error.events' : messageOf(issue))
  }
  return z.NEVER
})

const sentQuery = z.object({ sent: z.literal('1').optional() })

export default async function webhooks(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const listData = async (request: FastifyRequest) => ({
    rows: await listWebhooks(app.db),
    events: WEBHOOK_EVENTS,
    ticked: tickedEvents(request.sentBody),
  })

  app.get('/webhooks', organizer, async (request, reply) => page(reply, 'webhooks/list', await listData(request)))

  const create = {
    config: { ...organizer.config, ...consoleForm('webhooks/list', listData) },
    schema: { body: webhookForm },
  }
  app.post('/webhooks', create, async (request, reply) => {
    const { secret } = await createWebhook(app.db, app.config.webhookAllowPrivate, actorOf(request), request.body)
    return page(reply, 'webhooks/list', { ...(await listData(request)), ticked: [], secret })
  })

  const byId = { ...organizer, schema: { params: idParam } }
  app.get(
    '/webhooks/:id',
    { ...organizer, schema: { params: idParam, querystring: sentQuery } },
    async (request, reply) => {
      const webhook = await findWebhook(app.db, request.params.id)
      const { attempts, pending } = await deliveryLog(app.db, webhook.id)
      const log = { pending, attempts: attempts.map((a) => ({ ...a, at: formatMoment(request.locale, a.created_at) })) }
      const notice = request.query.sent ? request.t('webhooks.testSent') : undefined
      return page(reply, 'webhooks/show', { webhook, log, notice })
    },
  )

  app.post('/webhooks/:id/test', byId, async (request, reply) => {
    await sendTestEvent(app.db, actorOf(request), request.params.id)
    return reply.redirect(`/admin/webhooks/${request.params.id}?sent=1`, 303)
  })

  for (const [action, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    app.post(`/webhooks/:id/${action}`, byId, async (request, reply) => {
      await setWebhookEnabled(app.db, actorOf(request), request.params.id, enabled)
      return reply.redirect(`/admin/webhooks/${request.params.id}`, 303)
    })
  }

  app.post('/webhooks/:id/delete', byId, async (request, reply) => {
    await deleteWebhook(app.db, actorOf(request), request.params.id)
    return reply.redirect('/admin/webhooks', 303)
  })
}
