// A campaign's signatures over time as an SVG image (src/present/campaigns/figures.ts), linked by
// its page with the language and the count in the address: a browser or proxy keeps it a minute,
// and a new count is a new address. `hl`, not `lang`: an image must not set the language cookie.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { isLocale, type Locale } from '../../locale.ts'
import { signatureChart } from '../../present/campaigns/figures.ts'
import { translator } from '../../i18n/index.ts'
import { notFound } from '../../errors.ts'
import { slugParam } from '../api/v1/campaigns/schema.ts'

const chartQuery = z.object({ hl: z.string().optional(), n: z.string().optional() })

export default async function figurePages(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  app.get(
    '/campaigns/:slug/chart.svg',
    { schema: { params: slugParam, querystring: chartQuery } },
    async (request, reply) => {
      const { stats } = await app.present.campaignPages.data(request.params.slug)
      const locale: Locale = isLocale(request.query.hl) ? request.query.hl : request.locale
      const drawn = signatureChart(stats, locale, translator(locale))
      if (!drawn) throw notFound()
      const svg = await reply.viewAsync('images/signature-chart', { ...drawn, lang: locale })
      return reply.type('image/svg+xml; charset=utf-8').header('cache-control', 'public, max-age=60').send(svg)
    },
  )
}
