// A campaign's signatures held for review in the console: the queue, and accepting or rejecting
// the selected ones (modules/signature-admin/review.ts).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { decideHeld, reviewQueue } from '../../modules/signature-admin/review.ts'
import { actorOf, consoleForm, page } from './forms.ts'
import { slugParam } from './schema.ts'

const organizer = { config: { access: 'organizer' as const } }
const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined) })

// The checked boxes: one `ids` field per signature, so a list (which the other forms refuse).
const decisionBody = z.preprocess(
  (body) => {
    const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>
    const ids = Array.isArray(b.ids) ? b.ids : b.ids === undefined ? [] : [b.ids]
    return { ids, decision: b.decision }
  },
  z.object({
    ids: z.array(z.string().regex(/^\d{1,18}$/)).max(1000),
    decision: z.enum(['accept', 'reject']),
  }),
)

export default async function review(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  const queue = { ...organizer, schema: { params: slugParam, querystring: pageQuery } }
  app.get('/campaigns/:slug/review', queue, async (request, reply) => {
    reply.header('cache-control', 'no-store')
    const list = await reviewQueue(app.db, request.params.slug, request.query.page ?? 1)
    return page(reply, 'signatures/review', { list })
  })

  const decide = {
    config: {
      ...organizer.config,
      ...consoleForm('signatures/review', async (request: FastifyRequest) => ({
        list: await reviewQueue(app.db, slugParam.parse(request.params).slug, 1),
      })),
    },
    schema: { params: slugParam, body: decisionBody },
  }
  app.post('/campaigns/:slug/review', decide, async (request, reply) => {
    const { slug } = request.params
    await decideHeld(app.db, app.config, actorOf(request), slug, request.body.ids, request.body.decision)
    return reply.redirect(`/admin/campaigns/${slug}/review`, 303)
  })
}
