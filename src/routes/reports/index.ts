// The public incident tracker and its Atom feed. Both read published data only, and both work
// without JavaScript: the charts are SVG drawn here, the feed is plain XML.
import { pageAddresses } from '../../crawl.ts'
import type { FastifyInstance, onSendAsyncHookHandler } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { sendEncoded } from '../../compression.ts'
import { notFound } from '../../errors.ts'
import { isLocale, translator, type Locale } from '../../i18n/index.ts'
import { feedReports } from '../../modules/reports/service.ts'
import { localisedTitle } from '../../present/campaigns/localise.ts'
import { atomFeed } from '../../present/reports/feed.ts'
import { mapMarks, mapVersion } from '../../present/reports/map-marks.ts'
import { trackerPage } from '../../present/reports/page.ts'
import { reportPage } from '../../present/reports/report-page.ts'
import { openGraph } from '../../present/share/links.ts'

// A shared cache could keep a response's Set-Cookie (?lang= sets the language cookie) and hand
// it to everyone after; such a response may be kept by the reader's own client only. Runs
// after @fastify/cookie's onSend hook, which is the one that writes the header.
const privateWhenSettingCookie: onSendAsyncHookHandler = async (_request, reply, payload) => {
  const cacheControl = reply.getHeader('cache-control')
  if (reply.hasHeader('set-cookie') && typeof cacheControl === 'string') {
    reply.header('cache-control', cacheControl.replace('public', 'private'))
  }
  return payload
}

// A report id is a positive bigint; anything else (letters, a sign, 20 digits) names no report,
// which is a 404 like an unknown id, never a 400 or a database error.
export const reportParam = z.object({
  id: z.string().transform((s) => (/^[1-9][0-9]{0,17}$/.test(s) ? s : null)),
})

const mapQuery = z.object({ hl: z.string().optional(), v: z.string().optional() })

export default async function reportPages(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  // An alert email sends a crowd to this page at once. Its HTML depends only on the data, which
  // the instance keeps for a second, and the language: render each pair once.
  app.get('/reports', async (request, reply) => {
    const html = await app.present.trackerPages.page(request.locale, (data) =>
      reply.viewAsync('pages/reports/index', {
        ...trackerPage(data, request.locale, request.t),
        og: openGraph(app.config.publicUrl, request.locale, {
          title: request.t('tracker.title'),
          description: request.t('tracker.intro'),
          cardPath: '/reports/card.png',
        }),
      }),
    )
    return reply.type('text/html; charset=utf-8').send(html)
  })

  // The tracker's map, linked by the page with its version in the address. `hl`, not `lang`: an
  // image must not set the language cookie. Drawn once per version by this instance.
  app.get('/reports/map.svg', { schema: { querystring: mapQuery } }, async (request, reply) => {
    const locale: Locale = isLocale(request.query.hl) ? request.query.hl : request.locale
    const figures = mapMarks((await app.present.trackerPages.data()).places, locale, translator(locale))
    if (figures.marks.length === 0) throw notFound()
    const version = mapVersion(figures, locale)
    const { encoded, etag } = await app.present.trackerMap.draw(figures, locale, version)
    // The version the page links is kept a day; an older page's address gets today's map for a minute.
    reply.header('cache-control', `public, max-age=${request.query.v === version ? 86_400 : 60}`)
    reply.header('etag', etag)
    if (request.headers['if-none-match'] === etag) return reply.code(304).send()
    return sendEncoded(reply, encoded, 'image/svg+xml; charset=utf-8', 'accept-encoding')
  })

  // Each report's page, cached like the tracker: an alert sends its readers here at once. A draft,
  // or an id no report has, is not found.
  app.get('/reports/:id', { schema: { params: reportParam } }, async (request, reply) => {
    const { id } = request.params
    if (!id) throw notFound()
    // The page is cached for everyone: its own address, not the one this request happened to use
    // ("/reports/5/", "/reports/%35"), goes into its canonical and language links.
    const path = `/reports/${id}`
    const html = await app.present.reportPages.page(id, request.locale, (data) => {
      const page = reportPage(data, request.locale, request.t, (c) => localisedTitle(c, request.locale))
      return reply.viewAsync('pages/reports/show', {
        ...page,
        path,
        addresses: pageAddresses(app.config.publicUrl, path, request.locale),
        og: openGraph(app.config.publicUrl, request.locale, {
          title: page.title,
          description: page.description,
          cardPath: `${path}/card.png`,
        }),
      })
    })
    return reply.type('text/html; charset=utf-8').send(html)
  })

  app.get('/reports.atom', { onSend: privateWhenSettingCookie }, async (request, reply) => {
    const rows = await feedReports(app.db)
    // Feed readers poll; five minutes is a fair delay for news that also goes out by email.
    reply.header('cache-control', 'public, max-age=300')
    reply.type('application/atom+xml; charset=utf-8')
    return atomFeed(rows, { publicUrl: app.config.publicUrl, locale: request.locale, t: request.t, now: new Date() })
  })
}
