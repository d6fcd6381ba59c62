// The campaign's letter, to send oneself: its page (a mailto link per target that may be written
// to, the text, a print view with the postal addresses) and the "I sent it myself" count.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { sendEncoded } from '../../compression.ts'
import { notFound } from '../../errors.ts'
import { formStamp, judgeForm } from '../../modules/form-guard/service.ts'
import { countSelfSent } from '../../modules/letters/counts.ts'
import type { PageData } from '../../present/campaigns/page-cache.ts'
import { hasLetterStep, targetLetters } from '../../present/letters/write.ts'
import { limited } from '../../plugins/rate-limit.ts'
import { formBody } from '../../plugins/validation.ts'
import { slugParam } from '../api/v1/campaigns/schema.ts'
import { sentGuard } from '../form-guard.ts'

const HTML = 'text/html; charset=utf-8'
const VARY_ENCODED = 'Accept-Language, Cookie, Accept-Encoding'

/** The letter page and the count exist while the campaign is live with a letter and targets. */
function assertLetterStep(data: PageData) {
  if (data.campaign.status !== 'live' || !hasLetterStep(data)) throw notFound()
}

export default async function letterPages(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const pages = app.present.campaignPages

  // Rendered once per page data and language, as the campaign page is (page-cache.ts).
  app.get('/campaigns/:slug/letter', { schema: { params: slugParam } }, async (request, reply) => {
    const { slug } = request.params
    const key = `letter:${request.locale}`
    const ready = pages.ready(slug, key)
    if (ready) return sendEncoded(reply, ready, HTML, VARY_ENCODED)
    assertLetterStep(await pages.data(slug))
    const page = await pages.blank(slug, key, (data, renderedAt) =>
      reply.viewAsync('pages/campaigns/letter', {
        campaign: app.present.campaigns.localise(data.campaign, request.locale),
        letters: targetLetters(data, request.locale),
        letterCounts: data.letterCounts,
        formStamp: formStamp(app.config, renderedAt),
      }),
    )
    return sendEncoded(reply, page, HTML, VARY_ENCODED)
  })

  // One more letter in the count, and nothing about who: no row, no address. A bot's press is
  // answered as a person's and not counted.
  app.post(
    '/campaigns/:slug/letter/sent',
    { ...limited, schema: { params: slugParam, body: formBody(z.object({})) } },
    async (request, reply) => {
      const { slug } = request.params
      const data = await pages.data(slug)
      assertLetterStep(data)
      if (!judgeForm(app.config, sentGuard(request))) await countSelfSent(app.db, data.campaign.id)
      return reply.redirect(`/campaigns/${slug}/letter/sent`, 303)
    },
  )

  app.get('/campaigns/:slug/letter/sent', { schema: { params: slugParam } }, async (request, reply) => {
    const { campaign } = await pages.data(request.params.slug)
    return reply.view('pages/campaigns/letter-sent', {
      campaign: app.present.campaigns.localise(campaign, request.locale),
    })
  })
}
