// Passing a page on: the share cards that og:image names (PNG, drawn by present/share), and a
// campaign's share page, which lists every service so the campaign page itself carries one link.
// A card takes its language from `hl`, not `lang`: an image must not set the language cookie.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { isLocale, translator, type Locale } from '../../i18n/index.ts'
import { notFound } from '../../errors.ts'
import { reportFacts } from '../../present/reports/report-page.ts'
import { campaignCard, reportCard, siteCard, type CardText } from '../../present/share/card.ts'
import { sharePanel } from '../../present/share/links.ts'
import { slugParam } from '../api/v1/campaigns/schema.ts'
import { reportParam } from '../reports/index.ts'

const cardQuery = z.object({ hl: z.string().optional() })

// Crawlers fetch a card once per share at most; a new rounding step shows within ten minutes.
const CARD_CACHE = 'public, max-age=600'

export default async function sharePages(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  function cardLocale(request: FastifyRequest, hl: string | undefined): Locale {
    return isLocale(hl) ? hl : request.locale
  }

  async function sendCard(request: FastifyRequest, reply: FastifyReply, card: CardText) {
    const { png, etag } = await app.present.shareCards.draw(card)
    reply.header('cache-control', CARD_CACHE).header('etag', etag)
    if (request.headers['if-none-match'] === etag) return reply.code(304).send()
    return reply.type('image/png').send(png)
  }

  app.get(
    '/campaigns/:slug/card.png',
    { schema: { params: slugParam, querystring: cardQuery } },
    async (request, reply) => {
      const locale = cardLocale(request, request.query.hl)
      const { campaign } = await app.present.campaignPages.data(request.params.slug)
      const c = app.present.campaigns.localise(campaign, locale)
      return sendCard(request, reply, campaignCard(c, locale, translator(locale)))
    },
  )

  app.get('/card.png', { schema: { querystring: cardQuery } }, async (request, reply) => {
    const locale = cardLocale(request, request.query.hl)
    const t = translator(locale)
    return sendCard(request, reply, siteCard(locale, t, t('site.tagline'), t('site.description')))
  })

  app.get('/reports/card.png', { schema: { querystring: cardQuery } }, async (request, reply) => {
    const locale = cardLocale(request, request.query.hl)
    const t = translator(locale)
    return sendCard(request, reply, siteCard(locale, t, t('tracker.title'), t('tracker.intro')))
  })

  // A report's card: its kind, place, people, date and country. A draft or unknown id is not found,
  // like its page; a retraction changes the text, so the card is drawn anew.
  app.get(
    '/reports/:id/card.png',
    { schema: { params: reportParam, querystring: cardQuery } },
    async (request, reply) => {
      const { id } = request.params
      if (!id) throw notFound()
      const locale = cardLocale(request, request.query.hl)
      const t = translator(locale)
      const { report } = await app.present.reportPages.data(id)
      return sendCard(request, reply, reportCard(locale, t, reportFacts(report, locale, t)))
    },
  )

  app.get('/campaigns/:slug/share', { schema: { params: slugParam } }, async (request, reply) => {
    const { campaign } = await app.present.campaignPages.data(request.params.slug)
    const c = app.present.campaigns.localise(campaign, request.locale)
    return reply.view('pages/campaigns/share', {
      campaign: c,
      share: sharePanel(app.config.publicUrl, c, request.locale, request.t),
    })
  })
}
