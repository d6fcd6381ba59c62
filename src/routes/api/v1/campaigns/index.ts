import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import {
  closeCampaign,
  createCampaign,
  findPublicCampaign,
  listLiveCampaigns,
  moveCampaign,
  patchCampaign,
} from '../../../../modules/campaigns/service.ts'
import { exportConfirmedCsv } from '../../../../modules/signature-admin/service.ts'
import { overSigningBudget } from '../../../../modules/challenge/service.ts'
import { submitLetter } from '../../../letters/submit.ts'
import { sign } from '../../../../modules/signatures/service.ts'
import { setMilestone } from '../../../../modules/updates/milestones.ts'
import { postUpdate, updatesOf } from '../../../../modules/updates/service.ts'
import { updateJson } from '../../../../present/updates/json.ts'
import { milestoneBody, updateBody } from './update-schema.ts'
import { campaignJson, campaignsJson } from '../../../../present/campaigns/json.ts'
import { attachment } from '../../../download.ts'
import { createCampaignBody, letterBody, patchCampaignBody, signatureBody, slugParam, statsResponse } from './schema.ts'
import { checkEmailResponse } from '../../../schema.ts'
import {
  campaignCreatedResponse,
  campaignResponse,
  campaignsResponse,
  milestoneResponse,
  updatePostedResponse,
  updatesResponse,
} from '../responses.ts'
import { limited } from '../../../../plugins/rate-limit.ts'
import { jsonBody } from '../../../../plugins/validation.ts'

export default async function campaignsApi(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const bySlug = { schema: { params: slugParam } }
  app.get('/', { schema: { response: campaignsResponse } }, async () => ({
    campaigns: await campaignsJson(app.db, await listLiveCampaigns(app.db)),
  }))

  app.get('/:slug', { schema: { params: slugParam, response: campaignResponse } }, async (request) =>
    campaignJson(app.db, await findPublicCampaign(app.db, request.params.slug)),
  )

  // Public figures for anyone's page or script (contract: "Reach"), so any origin may read them;
  // they name no one, and countries with few signers are folded into "other".
  app.get('/:slug/stats', { schema: { params: slugParam, response: statsResponse } }, async (request, reply) => {
    const { campaign } = await app.present.campaignPages.data(request.params.slug)
    const stats = await app.present.campaignStats.get(campaign)
    reply.header('access-control-allow-origin', '*').header('cache-control', 'public, max-age=60')
    return {
      signatureCount: stats.signatureCount,
      byCountry: stats.byCountry,
      timeline: stats.timeline.map((h) => ({ at: h.at.toISOString(), count: h.count })),
    }
  })

  app.get('/:slug/updates', { schema: { params: slugParam, response: updatesResponse } }, async (request) => {
    const campaign = await findPublicCampaign(app.db, request.params.slug)
    return { updates: (await updatesOf(app.db, campaign.id)).map(updateJson) }
  })

  app.post(
    '/:slug/signatures',
    {
      ...limited,
      schema: { params: slugParam, body: jsonBody(signatureBody), response: checkEmailResponse },
      // 404 before 400: an unknown campaign is the first thing wrong, so it is looked up before
      // the body is judged. The page cache serves the lookup: a viral campaign costs one
      // statement per signature.
      preHandler: async (request) => {
        if (request.validationError?.validationContext !== 'params')
          await app.present.campaignPages.data(request.params.slug)
      },
    },
    async (request, reply) => {
      const { campaign, letter } = await app.present.campaignPages.data(request.params.slug)
      // The form's budget per network counts here too, or a bot would sign through the API past
      // the form's proof of work. A JSON client has no challenge to solve: past the budget its
      // signature is held for an organizer's review, with the same answer.
      const held = await overSigningBudget(app.redis, app.config, request.ip)
      const campaignHasLetter = Object.keys(letter).length > 0
      await sign(app.db, app.config, campaign, request.body, {
        locale: request.locale,
        ip: request.ip,
        held,
        campaignHasLetter,
      })
      return reply.code(202).send({ status: 'check-email' })
    },
  )

  // The platform sends the campaign's letter for a supporter, once they confirm by email. The same
  // answer for a first request, a repeat and a text refused as spam.
  app.post(
    '/:slug/letters',
    {
      ...limited,
      schema: { params: slugParam, body: jsonBody(letterBody), response: checkEmailResponse },
      preHandler: async (request) => {
        if (request.validationError?.validationContext !== 'params')
          await app.present.campaignPages.data(request.params.slug)
      },
    },
    async (request, reply) => {
      await submitLetter(app, request, await app.present.campaignPages.data(request.params.slug), request.body)
      return reply.code(202).send({ status: 'check-email' })
    },
  )

  app.register(async function organizerRoutes(instance) {
    const scoped = instance.withTypeProvider<ZodTypeProvider>()
    scoped.addHook('preHandler', scoped.requireOrganizer)

    const actor = (request: FastifyRequest) => ({ id: request.organizer!.id, via: 'api' as const })

    const create = { schema: { body: jsonBody(createCampaignBody), response: campaignCreatedResponse } }
    scoped.post('/', create, async (request, reply) => {
      const row = await createCampaign(app.db, actor(request), request.body)
      return reply.code(201).send(await campaignJson(app.db, row))
    })

    const patch = { schema: { params: slugParam, body: jsonBody(patchCampaignBody), response: campaignResponse } }
    scoped.patch('/:slug', patch, async (request) => {
      const { slug } = request.params
      const { row } = await patchCampaign(app.db, actor(request), slug, request.body)
      app.present.campaignPages.forget(slug)
      return campaignJson(app.db, row)
    })

    const move = { schema: { params: slugParam, response: campaignResponse } }
    scoped.post('/:slug/launch', move, async (request) => {
      const { slug } = request.params
      // The contract has no reopen: launch makes a draft live or reopens a closed campaign.
      const row = await moveCampaign(app.db, actor(request), slug, 'live')
      app.present.campaignPages.forget(slug)
      return campaignJson(app.db, row)
    })

    scoped.post('/:slug/close', move, async (request) => {
      const { slug } = request.params
      const row = await closeCampaign(app.db, actor(request), slug)
      app.present.campaignPages.forget(slug)
      return campaignJson(app.db, row)
    })

    scoped.post(
      '/:slug/updates',
      { schema: { params: slugParam, body: jsonBody(updateBody), response: updatePostedResponse } },
      async (request, reply) => {
        const { slug } = request.params
        const { update, alertId } = await postUpdate(app.db, actor(request), slug, request.body)
        app.present.campaignPages.forget(slug)
        return reply.code(202).send({ update: updateJson(update), alert: alertId ? { id: alertId } : null })
      },
    )

    scoped.post(
      '/:slug/milestones',
      { schema: { params: slugParam, body: jsonBody(milestoneBody), response: milestoneResponse } },
      async (request, reply) =>
        reply.code(201).send(await setMilestone(app.db, actor(request), request.params.slug, request.body)),
    )

    // Confirmed signatures for delivery to the target: the console's export, audited the same way.
    scoped.get('/:slug/signatures.csv', bySlug, async (request, reply) => {
      const { filename, stream } = await exportConfirmedCsv(app.db, actor(request), request.params.slug)
      // Names and comments of signers: no cache, shared or private, keeps a copy.
      return reply
        .type('text/csv; charset=utf-8')
        .header('Cache-Control', 'no-store')
        .header('Content-Disposition', attachment(filename))
        .send(stream)
    })
  })
}
