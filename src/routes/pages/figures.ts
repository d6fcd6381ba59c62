// A campaign's signatures over time as an SVG image (src/present/campaigns/figures.ts), linked by
// its page with the language and the count in the address: a browser or proxy keeps it a minute,
// and a new count is a new address. `hl`, not `lang`: an image must not set the language cookie.
// Drawn once per (figures, language) by this instance, and sent compressed as the client asks.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { encodeAll, sendEncoded, type Encoded } from '../../compression.ts'
import { notFound } from '../../errors.ts'
import { translator } from '../../i18n/index.ts'
import { isLocale, type Locale } from '../../locale.ts'
import type { CampaignStats } from '../../modules/stats/service.ts'
import { signatureChart } from '../../present/campaigns/figures.ts'
import { slugParam } from '../api/v1/campaigns/schema.ts'

const chartQuery = z.object({ hl: z.string().optional(), n: z.string().optional() })

export default async function figurePages(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const drawn = new WeakMap<CampaignStats, Map<Locale, Promise<Encoded | null>>>()

  function chartOf(stats: CampaignStats, locale: Locale, render: (data: object) => Promise<string>) {
    let byLocale = drawn.get(stats)
    if (!byLocale) drawn.set(stats, (byLocale = new Map<Locale, Promise<Encoded | null>>()))
    let chart = byLocale.get(locale)
    if (!chart) {
      const figures = signatureChart(stats, locale, translator(locale))
      chart = figures ? render({ ...figures, lang: locale }).then((svg) => encodeAll(svg)) : Promise.resolve(null)
      const forget = byLocale
      chart.catch(() => forget.delete(locale))
      byLocale.set(locale, chart)
    }
    return chart
  }

  app.get(
    '/campaigns/:slug/chart.svg',
    { schema: { params: slugParam, querystring: chartQuery } },
    async (request, reply) => {
      const { campaign } = await app.present.campaignPages.data(request.params.slug)
      const stats = await app.present.campaignStats.get(campaign)
      const locale: Locale = isLocale(request.query.hl) ? request.query.hl : request.locale
      const chart = await chartOf(stats, locale, (data) => reply.viewAsync('images/signature-chart', data))
      if (!chart) throw notFound()
      reply.header('cache-control', 'public, max-age=60')
      return sendEncoded(reply, chart, 'image/svg+xml; charset=utf-8', 'accept-encoding')
    },
  )
}
