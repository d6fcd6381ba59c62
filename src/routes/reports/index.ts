// The public incident tracker and its Atom feed. Both read published data only, and both work
// without JavaScript: the charts are SVG drawn here, the feed is plain XML.
import type { FastifyInstance, onSendAsyncHookHandler } from 'fastify'
import { feedReports } from '../../modules/reports/service.ts'
import { atomFeed } from '../../present/reports/feed.ts'
import { trackerPage } from '../../present/reports/page.ts'

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

export default async function reportPages(app: FastifyInstance) {
  // An alert email sends a crowd to this page at once. Its HTML depends only on the data, which
  // the instance keeps for a second, and the language: render each pair once.
  app.get('/reports', async (request, reply) => {
    const html = await app.present.trackerPages.page(request.locale, (data) =>
      reply.viewAsync('pages/reports/index', trackerPage(data, request.locale, request.t)),
    )
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
