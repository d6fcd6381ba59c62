// The organizer console under /admin. Every route declares its access (the app will not start
// without it); before any handler the session is loaded, access enforced and CSRF checked.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../../errors.ts'
import { formatZonedTime } from '../../i18n/index.ts'
import { closeQueues, openOperatorQueues, type OperatorQueues } from '../../modules/queues/service.ts'
import { useLocale } from '../../plugins/locale.ts'
import { csrfUserInfo } from '../../plugins/session.ts'
import about from './about.ts'
import account from './account.ts'
import alerts from './alerts.ts'
import auth from './auth.ts'
import campaigns from './campaigns.ts'
import dashboard from './dashboard.ts'
import imports from './imports.ts'
import letters from './letters.ts'
import { CHANGE_PASSWORD_SCREEN } from './forms.ts'
import organizers from './organizers.ts'
import queues from './queues.ts'
import reports from './reports.ts'
import review from './review.ts'
import signatures from './signatures.ts'
import targets from './targets.ts'
import updates from './updates.ts'
import petition from './petition.ts'
import letterQueue from './letter-queue.ts'
import webhooks from './webhooks.ts'

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

declare module 'fastify' {
  interface FastifyInstance {
    /** The queues as admins see them (queues page, dashboard), on the app's Redis: opened on first use. */
    operatorQueues(): OperatorQueues
  }
}

export default async function admin(app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    const access = route.config?.access
    if (!access) throw new Error(`console route ${String(route.method)} ${route.url} declares no access`)
    for (const method of [route.method].flat()) app.adminRoutes.push({ method, url: route.url, access })
  })

  // Opened on first use: most app instances never show a page that reads them.
  let open: OperatorQueues | undefined
  app.decorate('operatorQueues', () => {
    open ??= openOperatorQueues(app.redis, app.config.queuePrefix, (err) =>
      app.log.warn({ err: err.message }, 'queue view: redis error'),
    )
    return open
  })
  app.addHook('onClose', async () => {
    if (open) await closeQueues(open)
  })

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('Cache-Control', 'no-store')
    const access = request.routeOptions.config.access!
    const account = await app.loadAccount(request)
    // The console speaks the account's own language, whatever the browser's cookie or
    // Accept-Language say; only ?lang= on the address itself comes first, for that page alone.
    if (account) useLocale(request, reply, request.localeAsked ?? account.locale ?? request.locale)
    if (access !== 'public') {
      if (!account) {
        const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : ''
        return reply.redirect(`/admin/login${next}`, 303)
      }
      if (account.mustChangePassword && !request.routeOptions.config.beforeOwnPassword) {
        return reply.redirect(CHANGE_PASSWORD_SCREEN, 303)
      }
      if (access === 'admin' && account.role !== 'admin') throw new AppError('forbidden')
    }
  })
  // Callback style: on a bad token the plugin sends the 403 itself and the chain stops there.
  app.addHook('preHandler', (request, reply, done) => {
    if (SAFE.has(request.method)) return done()
    app.csrfProtection(request, reply, done)
  })
  app.addHook('preHandler', async (request, reply) => {
    const account = request.account
    const locale = request.locale
    reply.locals = {
      ...reply.locals,
      account,
      csrf: reply.generateCsrf({ userInfo: csrfUserInfo(request) }),
      // A moment in the account's own time zone (UTC before it chooses one).
      time: (at: Date) => formatZonedTime(locale, account?.timeZone ?? 'UTC', at),
    }
  })

  await app.register(auth)
  await app.register(dashboard)
  await app.register(campaigns)
  await app.register(letters)
  await app.register(signatures)
  await app.register(review)
  await app.register(reports)
  await app.register(targets)
  await app.register(updates)
  await app.register(petition)
  await app.register(letterQueue)
  await app.register(alerts)
  await app.register(account)
  await app.register(about)
  await app.register(organizers)
  await app.register(queues)
  await app.register(webhooks)
  await app.register(imports)
}
