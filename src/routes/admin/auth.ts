// Login, logout and the invitation link. Passwords are never written back into a form.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { acceptInvitation, inspectInvitation, login, logout } from '../../modules/accounts/service.ts'
import { CHANGE_PASSWORD_SCREEN, formErrorOf, page, parseForm } from './forms.ts'
import { loginForm, newPasswordForm } from './schema.ts'

/** Only a path inside the console: a login link must not become an open redirect. */
export function safeNext(next: string | undefined): string {
  if (!next) return '/admin/campaigns'
  try {
    const url = new URL(next, 'http://console.invalid')
    if (url.origin === 'http://console.invalid' && url.pathname.startsWith('/admin/') && !url.pathname.startsWith('/admin/login')) {
      return url.pathname + url.search
    }
  } catch {
    // not a URL at all
  }
  return '/admin/campaigns'
}

function tokenOf(request: FastifyRequest): string {
  const token = (request.params as { token?: unknown }).token
  return typeof token === 'string' ? token.slice(0, 100) : ''
}

export default async function auth(app: FastifyInstance) {
  app.get('/', { config: { access: 'organizer' } }, async (_request, reply) => reply.redirect('/admin/campaigns', 303))

  app.get('/login', { config: { access: 'public' } }, async (request, reply) => {
    if (request.account) return reply.redirect('/admin/campaigns', 303)
    const query = request.query as { next?: unknown; welcome?: unknown }
    return page(reply, 'login', {
      values: { next: typeof query.next === 'string' ? query.next.slice(0, 500) : '' },
      notice: query.welcome !== undefined ? request.t('console.invite.done') : undefined,
    })
  })

  app.post('/login', { config: { access: 'public' } }, async (request, reply) => {
    const parsed = parseForm(request, loginForm, request.body)
    const values = parsed.ok ? { email: parsed.data.email, next: parsed.data.next ?? '' } : {}
    const result = parsed.ok
      ? await login(app.db, app.redis, app.config, { email: parsed.data.email, password: parsed.data.password, ip: request.ip })
      : ({ ok: false, reason: 'invalid' } as const)
    if (!result.ok) {
      // One message for every failure: it must not tell whether the address has an account.
      const locked = result.reason === 'locked'
      return page(
        reply,
        'login',
        { values, errors: { _: request.t(locked ? 'console.login.locked' : 'console.login.failed') } },
        locked ? 429 : 401,
      )
    }
    // A new session id at every login; whatever session the browser had before ends here.
    await app.endRequestSession(request, reply)
    app.setSessionCookie(reply, result.sessionId)
    // A one-time password opens only the screen to replace it; `next` waits for another login.
    if (result.mustChangePassword) return reply.redirect(CHANGE_PASSWORD_SCREEN, 303)
    return reply.redirect(safeNext(parsed.ok ? parsed.data.next : undefined), 303)
  })

  app.post('/logout', { config: { access: 'organizer', beforeOwnPassword: true } }, async (request, reply) => {
    await logout(app.db, request.account!)
    await app.endRequestSession(request, reply)
    return reply.redirect('/admin/login', 303)
  })

  app.get('/invite/:token', { config: { access: 'public' } }, async (request, reply) => {
    const invitation = await inspectInvitation(app.db, app.config, tokenOf(request))
    if (!invitation) return page(reply, 'invite-invalid', {}, 404)
    return page(reply, 'invite', { invitation, action: `/admin/invite/${tokenOf(request)}` })
  })

  app.post('/invite/:token', { config: { access: 'public' } }, async (request, reply) => {
    const token = tokenOf(request)
    const invitation = await inspectInvitation(app.db, app.config, token)
    if (!invitation) return page(reply, 'invite-invalid', {}, 404)
    const parsed = parseForm(request, newPasswordForm, request.body)
    try {
      if (!parsed.ok) return page(reply, 'invite', { invitation, action: `/admin/invite/${token}`, errors: parsed.errors }, 400)
      await acceptInvitation(app.db, app.config, token, parsed.data)
    } catch (err) {
      const { status, errors } = formErrorOf(request, err)
      return page(reply, 'invite', { invitation, action: `/admin/invite/${token}`, errors }, status)
    }
    return reply.redirect('/admin/login?welcome', 303)
  })
}
