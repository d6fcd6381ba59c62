// Delivering the petition to a target from the console: the campaign's deliverable targets and
// past deliveries, a confirm page per target (no script: its button is the confirmation), and the
// POST that queues one email per click. The click's key comes with the confirm page, so pressing
// its button twice, or a browser resending the POST, delivers once.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { langTag } from '../../i18n/index.ts'
import { findCampaign } from '../../modules/campaigns/service.ts'
import {
  CLICK_KEY,
  deliverableTarget,
  deliverableTargets,
  deliverPetition,
  deliveriesOf,
  newClickKey,
  petitionSnapshot,
} from '../../modules/petition-delivery/service.ts'
import { formBody } from '../../plugins/validation.ts'
import { actorOf, consoleForm, page } from './forms.ts'
import { slugIdParams, slugParam } from './schema.ts'

const organizer = { config: { access: 'organizer' as const } }

const deliverForm = formBody(z.object({ click: z.string().regex(CLICK_KEY, 'error.petition.click') }))

export default async function petition(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  const listQuery = z.object({ queued: z.unknown().optional() })
  app.get(
    '/campaigns/:slug/petition',
    { ...organizer, schema: { params: slugParam, querystring: listQuery } },
    async (request, reply) => {
      const campaign = await findCampaign(app.db, request.params.slug)
      const [targets, history] = await Promise.all([
        deliverableTargets(app.db, campaign.id),
        deliveriesOf(app.db, campaign.id),
      ])
      reply.header('cache-control', 'no-store')
      return page(reply, 'campaigns/petition', {
        campaign,
        targets,
        history,
        notice: request.query.queued === '1' ? request.t('console.petition.queued') : undefined,
      })
    },
  )

  async function confirmData(request: FastifyRequest) {
    const { slug, id } = slugIdParams.parse(request.params)
    const campaign = await findCampaign(app.db, slug)
    const target = await deliverableTarget(app.db, campaign.id, id)
    const snapshot = await petitionSnapshot(app.db, campaign.id)
    return {
      campaign,
      target,
      language: new Intl.DisplayNames([langTag(request.locale)], { type: 'language' }).of(langTag(target.locale)),
      count: snapshot.signatureCount,
      names: snapshot.signers.length,
      click: newClickKey(),
    }
  }

  const byTarget = { ...organizer, schema: { params: slugIdParams } }
  app.get('/campaigns/:slug/petition/:id', byTarget, async (request, reply) => {
    reply.header('cache-control', 'no-store')
    return page(reply, 'campaigns/petition-confirm', await confirmData(request))
  })

  const deliver = {
    config: { ...organizer.config, ...consoleForm('campaigns/petition-confirm', confirmData) },
    schema: { params: slugIdParams, body: deliverForm },
  }
  app.post('/campaigns/:slug/petition/:id', deliver, async (request, reply) => {
    const { slug, id } = request.params
    const campaign = await findCampaign(app.db, slug)
    await deliverPetition(app.db, actorOf(request), campaign, id, request.body.click)
    return reply.redirect(`/admin/campaigns/${slug}/petition?queued=1`, 303)
  })
}
