// Login, logout and the invitation link. Passwords are never written back into a form.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { notFound } from '../../errors.ts'
import { acceptInvitation, inspectInvitation, login, logout } from '../../modules/accounts/service.ts'
import { formBody } from '../../plugins/validation.ts'
import { tokenParam } from '../schema.ts'
import { deviceCookieOf, setDeviceCookie } from './device.ts'
import { CHANGE_PASSWORD_SCREEN, CONSOLE_HOME, consoleForm, page } from './forms.ts'
import { loginForm, loginQuery, newPasswordForm } from './schema.ts'

/** Only a path inside the console: a login link must not become an open redirect. */
export function safeNext(next: string | undefined): string {
  if (!next) return CONSOLE_HOME
  try {
    const url = new URL(next, 'http://console.invalid')
    if (
      url.origin === 'http://console.invalid' &&
      (url.pathname === CONSOLE_HOME || url.pathname.startsWith('/admin/')) &&
      !url.pathname.startsWith('/admin/login')
    ) {
      return url.pathname + url.search
    }
  } catch {
    // not a URL at all
  }
  return CONSOLE_HOME
}

export default async function auth(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  const loginPage = { config: { access: 'public' as const }, schema: { querystring: loginQuery } }
  app.get('/login', loginPage, async (request, reply) => {
    if (request.account) return reply.redirect(CONSOLE_HOME, 303)
    return page(reply, 'login', {
      values: { next: request.query.next },
      notice: request.query.welcome ? request.t('console.invite.done') : undefined,
    })
  })

  app.post(
    '/login',
    { config: { access: 'public' }, schema: { body: formBody(loginForm, 'drop') } },
    async (request, reply) => {
      const { email, password, next } = request.body
      const values = { email, next: next ?? '' }
      const result = await login(app.db, app.redis, app.config, {
        email,
        password,
        locale: request.locale,
        ip: request.ip,
        deviceCookie: deviceCookieOf(app, request),
      })
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
      setDeviceCookie(app, reply, result.deviceCookie)
      // A one-time password opens only the screen to replace it; `next` waits for another login.
      if (result.mustChangePassword) return reply.redirect(CHANGE_PASSWORD_SCREEN, 303)
      return reply.redirect(safeNext(next), 303)
    },
  )

  app.post('/logout', { config: { access: 'organizer', beforeOwnPassword: true } }, async (request, reply) => {
    await logout(app.db, request.account!)
    await app.endRequestSession(request, reply)
    return reply.redirect('/admin/login', 303)
  })

  const invitation = { config: { access: 'public' as const }, schema: { params: tokenParam } }
  app.get('/invite/:token', invitation, async (request, reply) => {
    const { token } = request.params
    const found = await inspectInvitation(app.db, app.config, token)
    if (!found) return page(reply, 'invite-invalid', {}, 404)
    return page(reply, 'invite', { invitation: found, action: `/admin/invite/${token}` })
  })

  // Refused (passwords that differ, one too weak), the form comes back without what was typed.
  const inviteForm = consoleForm('invite', async (request) => {
    const { token } = tokenParam.parse(request.params)
    const found = await inspectInvitation(app.db, app.config, token)
    if (!found) throw notFound()
    return { invitation: found, action: `/admin/invite/${token}`, values: {} }
  })
  const acceptForm = {
    config: { access: 'public' as const, ...inviteForm },
    schema: { params: tokenParam, body: formBody(newPasswordForm, 'drop') },
  }
  app.post('/invite/:token', acceptForm, async (request, reply) => {
    const { token } = request.params
    if (!(await inspectInvitation(app.db, app.config, token))) return page(reply, 'invite-invalid', {}, 404)
    await acceptInvitation(app.db, app.config, token, request.body)
    return reply.redirect('/admin/login?welcome', 303)
  })
}
