// A campaign's queued letters in the console: a masked sample, and holding or dropping those from
// one network or email domain, with the holds so far and their release.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { findCampaign } from '../../modules/campaigns/service.ts'
import { holdLetters, letterQueue, releaseHold } from '../../modules/letter-admin/service.ts'
import { formBody } from '../../plugins/validation.ts'
import { actorOf, askFirst, confirmed, confirmForm, consoleForm, page } from './forms.ts'
import { slugIdParams, slugParam } from './schema.ts'

const organizer = { config: { access: 'organizer' as const } }
const blank = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim().toLowerCase() : undefined)

const holdForm = formBody(
  z.preprocess(
    (f: Record<string, unknown>) => ({
      sameNetworkAs: blank(f.sameNetworkAs),
      emailDomain: blank(f.emailDomain)?.replace(/^@/, ''),
      action: f.action,
      confirm: f.confirm,
    }),
    z.object({
      sameNetworkAs: z
        .string()
        .regex(/^\d{1,18}$/, 'console.letterQueue.sameNetworkAsHint')
        .optional(),
      emailDomain: z
        .string()
        .max(253)
        .regex(/^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+$/u, 'console.letterQueue.emailDomainHint')
        .optional(),
      action: z.enum(['hold', 'drop']),
      confirm: confirmForm.shape.confirm,
    }),
  ),
)
const noticeQuery = z.object({
  held: z.coerce.number().int().optional(),
  dropped: z.coerce.number().int().optional(),
  released: z.coerce.number().int().optional(),
})

export default async function letterQueueRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  async function screen(request: FastifyRequest) {
    const campaign = await findCampaign(app.db, slugParam.parse(request.params).slug)
    return { campaign, ...(await letterQueue(app.db, campaign.id)) }
  }

  app.get(
    '/campaigns/:slug/letter-queue',
    { ...organizer, schema: { params: slugParam, querystring: noticeQuery } },
    async (request, reply) => {
      const q = request.query
      const notice =
        q.held !== undefined
          ? request.t('console.letterQueue.held', { count: q.held })
          : q.dropped !== undefined
            ? request.t('console.letterQueue.dropped', { count: q.dropped })
            : q.released !== undefined
              ? request.t('console.letterQueue.released', { count: q.released })
              : undefined
      reply.header('cache-control', 'no-store')
      return page(reply, 'campaigns/letter-queue', { ...(await screen(request)), notice })
    },
  )

  const hold = {
    config: { ...organizer.config, ...consoleForm('campaigns/letter-queue', screen) },
    schema: { params: slugParam, body: holdForm },
  }
  app.post('/campaigns/:slug/letter-queue', hold, async (request, reply) => {
    const campaign = await findCampaign(app.db, request.params.slug)
    const { action, confirm, ...filter } = request.body
    // Dropping cannot be undone: it asks first, saying which letters, as an invalidation does.
    if (action === 'drop' && !confirmed({ confirm })) {
      const which = [
        filter.sameNetworkAs ? request.t('console.letterQueue.askNetwork', { id: filter.sameNetworkAs }) : '',
        filter.emailDomain ? request.t('console.letterQueue.askDomain', { domain: filter.emailDomain }) : '',
      ].filter(Boolean)
      const back = `/admin/campaigns/${campaign.slug}/letter-queue`
      return askFirst(reply, {
        title: request.t('console.letterQueue.askTitle'),
        lines: [...which, request.t('console.letterQueue.askBody')],
        action: back,
        fields: Object.fromEntries(Object.entries({ ...filter, action }).filter(([, v]) => v !== undefined)),
        yes: request.t('console.letterQueue.askYes'),
        back,
      })
    }
    const n = await holdLetters(app.db, actorOf(request), campaign, filter, action)
    const key = action === 'hold' ? 'held' : 'dropped'
    return reply.redirect(`/admin/campaigns/${campaign.slug}/letter-queue?${key}=${n}`, 303)
  })

  const release = {
    config: { ...organizer.config, ...consoleForm('campaigns/letter-queue', screen) },
    schema: { params: slugIdParams },
  }
  app.post('/campaigns/:slug/letter-queue/:id/release', release, async (request, reply) => {
    const campaign = await findCampaign(app.db, request.params.slug)
    const n = await releaseHold(app.db, app.config, actorOf(request), campaign, request.params.id)
    return reply.redirect(`/admin/campaigns/${campaign.slug}/letter-queue?released=${n}`, 303)
  })
}
