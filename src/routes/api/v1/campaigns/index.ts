import type { FastifyInstance } from 'fastify'
import { toJson } from '../../../../modules/campaigns/present.ts'
import {
  closeCampaign,
  createCampaign,
  findPublicCampaign,
  launchCampaign,
  listLiveCampaigns,
} from '../../../../modules/campaigns/service.ts'
import { sign } from '../../../../modules/signatures/service.ts'
import { parseApi } from '../../../validation.ts'
import { createCampaignBody, signatureBody, slugParam } from './schema.ts'

export default async function campaignsApi(app: FastifyInstance) {
  app.get('/', async () => ({ campaigns: (await listLiveCampaigns(app.db)).map(toJson) }))

  app.get('/:slug', async (request) => {
    const { slug } = parseApi(slugParam, request.params)
    return toJson(await findPublicCampaign(app.db, slug))
  })

  app.post('/:slug/signatures', async (request, reply) => {
    const { slug } = parseApi(slugParam, request.params)
    await findPublicCampaign(app.db, slug) // 404 before 400: an unknown campaign is the first thing wrong
    const body = parseApi(signatureBody, request.body)
    await sign(app.db, app.config, slug, body, { locale: request.locale, ip: request.ip })
    return reply.code(202).send({ status: 'check-email' })
  })

  app.register(async function organizerRoutes(scoped) {
    scoped.addHook('preHandler', scoped.requireOrganizer)

    scoped.post('/', async (request, reply) => {
      const body = parseApi(createCampaignBody, request.body)
      const row = await createCampaign(app.db, request.organizer!.id, body)
      return reply.code(201).send(toJson(row))
    })

    scoped.post('/:slug/launch', async (request) => {
      const { slug } = parseApi(slugParam, request.params)
      const row = await launchCampaign(app.db, slug)
      return toJson(row)
    })

    scoped.post('/:slug/close', async (request) => {
      const { slug } = parseApi(slugParam, request.params)
      const row = await closeCampaign(app.db, slug)
      return toJson(row)
    })
  })
}
