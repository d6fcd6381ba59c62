import type { FastifyInstance, FastifyRequest } from 'fastify'
import { campaignPageData } from '../../../../modules/campaigns/page-data.ts'
import { toJson } from '../../../../modules/campaigns/present.ts'
import {
  closeCampaign,
  createCampaign,
  findPublicCampaign,
  launchCampaign,
  listLiveCampaigns,
} from '../../../../modules/campaigns/service.ts'
import { exportConfirmedCsv } from '../../../../modules/signature-admin/service.ts'
import { sign } from '../../../../modules/signatures/service.ts'
import { attachment } from '../../../download.ts'
import { parseApi } from '../../../validation.ts'
import { createCampaignBody, signatureBody, slugParam } from './schema.ts'
import { limited } from '../../../../plugins/rate-limit.ts'

export default async function campaignsApi(app: FastifyInstance) {
  app.get('/', async () => ({ campaigns: (await listLiveCampaigns(app.db)).map(toJson) }))

  app.get('/:slug', async (request) => {
    const { slug } = parseApi(slugParam, request.params)
    return toJson(await findPublicCampaign(app.db, slug))
  })

  app.post('/:slug/signatures', limited, async (request, reply) => {
    const { slug } = parseApi(slugParam, request.params)
    // 404 before 400: an unknown campaign is the first thing wrong. The page cache serves the
    // lookup, so a viral campaign costs one statement per signature.
    const { campaign } = await campaignPageData(app.db, slug)
    const body = parseApi(signatureBody, request.body)
    await sign(app.db, app.config, campaign, body, { locale: request.locale, ip: request.ip })
    return reply.code(202).send({ status: 'check-email' })
  })

  app.register(async function organizerRoutes(scoped) {
    scoped.addHook('preHandler', scoped.requireOrganizer)

    const actor = (request: FastifyRequest) => ({ id: request.organizer!.id, via: 'api' as const })

    scoped.post('/', async (request, reply) => {
      const body = parseApi(createCampaignBody, request.body)
      const row = await createCampaign(app.db, request.organizer!.id, body, actor(request))
      return reply.code(201).send(toJson(row))
    })

    scoped.post('/:slug/launch', async (request) => {
      const { slug } = parseApi(slugParam, request.params)
      const row = await launchCampaign(app.db, slug, actor(request))
      return toJson(row)
    })

    scoped.post('/:slug/close', async (request) => {
      const { slug } = parseApi(slugParam, request.params)
      const row = await closeCampaign(app.db, slug, actor(request))
      return toJson(row)
    })

    // Confirmed signatures for delivery to the target: the console's export, audited the same way.
    scoped.get('/:slug/signatures.csv', async (request, reply) => {
      const { slug } = parseApi(slugParam, request.params)
      const { filename, stream } = await exportConfirmedCsv(app.db, actor(request), slug)
      // Names and comments of signers: no cache, shared or private, keeps a copy.
      return reply
        .type('text/csv; charset=utf-8')
        .header('Cache-Control', 'no-store')
        .header('Content-Disposition', attachment(filename))
        .send(stream)
    })
  })
}
