// Trust pages (issue 18 point 8): who runs this installation (/about, set in the console) and what
// it keeps and for how long (/privacy, written from the running configuration, so it cannot
// drift from what the retention job does).
import type { FastifyInstance } from 'fastify'
import { langTag, toLocale } from '../../locale.ts'
import { findAbout } from '../../modules/site/service.ts'

export default async function sitePages(app: FastifyInstance) {
  app.get('/about', async (request, reply) => {
    const about = await findAbout(app.db)
    // In the reader's language, else in one the organisation wrote, marked as such.
    const own = about?.texts[request.locale]
    const [written, text] = own ? [request.locale, own] : (Object.entries(about?.texts ?? {}).find(([, t]) => t) ?? [])
    const textLang = written ? langTag(toLocale(written) ?? request.locale) : undefined
    return reply.view('pages/site/about', { about, text, textLang })
  })

  app.get('/privacy', async (_request, reply) => {
    const about = await findAbout(app.db)
    const c = app.config
    return reply.view('pages/site/privacy', {
      contact: about?.contactEmail,
      organisation: about?.organisation,
      confirmDays: c.confirmTokenDays,
      pendingDays: c.pendingRetentionDays,
      ipHashDays: c.ipHashDays,
    })
  })
}
