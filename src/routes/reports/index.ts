// The public incident tracker and its Atom feed. Both read published data only, and both work
// without JavaScript: the charts are SVG drawn here, the feed is plain XML.
import type { FastifyInstance, onSendHookHandler } from 'fastify'
import type { Locale } from '../../i18n/index.ts'
import { atomFeed } from '../../modules/reports/feed.ts'
import { trackerPage } from '../../modules/reports/page.ts'
import { feedReports, trackerData, type TrackerData } from '../../modules/reports/service.ts'

// A shared cache could keep a response's Set-Cookie (?lang= sets the language cookie) and hand
// it to everyone after; such a response may be kept by the reader's own client only. Runs
// after @fastify/cookie's onSend hook, which is the one that writes the header.
const privateWhenSettingCookie: onSendHookHandler = async (_request, reply, payload) => {
  const cacheControl = reply.getHeader('cache-control')
  if (reply.hasHeader('set-cookie') && typeof cacheControl === 'string') {
    reply.header('cache-control', cacheControl.replace('public', 'private'))
  }
  return payload
}

export default async function reportPages(app: FastifyInstance) {
  // An alert email sends a crowd to this page at once. Its HTML depends only on the data, which
  // trackerData keeps as one object for a second, and the language: render each pair once.
  const rendered = new WeakMap<TrackerData, Map<Locale, Promise<string>>>()

  app.get('/reports', async (request, reply) => {
    const data = await trackerData(app.db)
    let pages = rendered.get(data)
    if (!pages) rendered.set(data, (pages = new Map()))
    let html = pages.get(request.locale)
    if (!html) {
      html = reply.viewAsync('pages/reports/index', trackerPage(data, request.locale, request.t))
      pages.set(request.locale, html)
      const forget = pages
      html.catch(() => forget.delete(request.locale))
    }
    return reply.type('text/html; charset=utf-8').send(await html)
  })

  app.get('/reports.atom', { onSend: privateWhenSettingCookie }, async (request, reply) => {
    const rows = await feedReports(app.db)
    // Feed readers poll; five minutes is a fair delay for news that also goes out by email.
    reply.header('cache-control', 'public, max-age=300')
    reply.type('application/atom+xml; charset=utf-8')
    return atomFeed(rows, { publicUrl: app.config.publicUrl, locale: request.locale, t: request.t, now: new Date() })
  })
}
