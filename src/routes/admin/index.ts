// The organizer console under /admin. Every route declares its access in its config; a route
// without one stops the app from starting, so a new route cannot forget. Before any handler:
// the session is loaded, access is enforced (no session: to the login page; a session that must
// still replace a one-time password: to the change screen; wrong role: 403), and every
// state-changing request must carry a valid CSRF token (403 otherwise).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../../errors.ts'
import type { MessageKey } from '../../i18n/index.ts'
import { csrfUserInfo } from '../../plugins/session.ts'
import account from './account.ts'
import alerts from './alerts.ts'
import auth from './auth.ts'
import campaigns from './campaigns.ts'
import { CHANGE_PASSWORD_SCREEN } from './forms.ts'
import organizers from './organizers.ts'
import reports from './reports.ts'
import signatures from './signatures.ts'

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

const errorTexts: Partial<Record<string, { status: number; key: MessageKey }>> = {
  forbidden: { status: 403, key: 'console.error.forbidden' },
  not_found: { status: 404, key: 'error.notFound.body' },
  conflict: { status: 409, key: 'console.error.conflict' },
  unavailable: { status: 503, key: 'error.server.body' },
  FST_CSRF_INVALID_TOKEN: { status: 403, key: 'console.error.csrf' },
  FST_CSRF_MISSING_SECRET: { status: 403, key: 'console.error.csrf' },
}

export default async function admin(app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    const access = route.config?.access
    if (!access) throw new Error(`console route ${String(route.method)} ${route.url} declares no access`)
    for (const method of [route.method].flat()) app.adminRoutes.push({ method, url: route.url, access })
  })

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('Cache-Control', 'no-store')
    const access = request.routeOptions.config.access!
    const account = await app.loadAccount(request)
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
    reply.locals = {
      ...reply.locals,
      account,
      csrf: reply.generateCsrf({ userInfo: csrfUserInfo(request) }),
    }
  })

  // Console errors get a console page in the reader's language; anything else goes to the root handler.
  app.setErrorHandler(async (error: FastifyError | AppError, request, reply) => {
    const known = errorTexts[error.code]
    if (!known) throw error
    request.log.info({ code: error.code }, 'console client error')
    reply.code(known.status).header('Cache-Control', 'no-store')
    // A request refused before the locals hook (a bad CSRF token) still needs a token for the
    // layout's logout form.
    const account = request.account
    const csrf = account ? (reply.locals?.csrf ?? reply.generateCsrf({ userInfo: csrfUserInfo(request) })) : undefined
    return reply.view('pages/admin/error', { status: known.status, message: request.t(known.key), account, csrf })
  })

  await app.register(auth)
  await app.register(campaigns)
  await app.register(signatures)
  await app.register(reports)
  await app.register(alerts)
  await app.register(account)
  await app.register(organizers)
}
