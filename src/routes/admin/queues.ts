// The queues and the outbox for admins (issue 17, point 3): a snapshot page with a refresh link,
// and forms that retry or remove failed work, each audited. No JavaScript.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { cleanQueue, outboxState, QUEUE_NAMES, queueStates, retryFailed } from '../../modules/queues/service.ts'
import { formBody } from '../../plugins/validation.ts'
import { actorOf, page } from './forms.ts'

const admin = { config: { access: 'admin' as const } }
const queueParam = z.object({ name: z.enum(QUEUE_NAMES as [string, ...string[]]) })
const retryForm = formBody(
  z.object({
    job: z
      .string()
      .regex(/^[\w:.-]{1,200}$/)
      .optional(),
  }),
)
const cleanForm = formBody(z.object({ state: z.enum(['completed', 'failed']) }))
const doneQuery = z.object({
  retried: z.coerce.number().int().min(0).optional(),
  removed: z.coerce.number().int().min(0).optional(),
})

export default async function queues(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const operatorQueues = () => app.operatorQueues()

  app.get('/queues', { ...admin, schema: { querystring: doneQuery } }, async (request, reply) => {
    const [states, outbox] = await Promise.all([queueStates(operatorQueues()), outboxState(app.db)])
    return page(reply, 'queues', { queues: states, outbox, done: request.query })
  })

  app.post(
    '/queues/:name/retry',
    { ...admin, schema: { params: queueParam, body: retryForm } },
    async (request, reply) => {
      const retried = await retryFailed(
        app.db,
        actorOf(request),
        operatorQueues(),
        request.params.name,
        request.body.job,
      )
      return reply.redirect(`/admin/queues?retried=${retried}`, 303)
    },
  )

  app.post(
    '/queues/:name/clean',
    { ...admin, schema: { params: queueParam, body: cleanForm } },
    async (request, reply) => {
      const removed = await cleanQueue(
        app.db,
        actorOf(request),
        operatorQueues(),
        request.params.name,
        request.body.state,
      )
      return reply.redirect(`/admin/queues?removed=${removed}`, 303)
    },
  )
}
