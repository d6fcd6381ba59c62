// Console sessions and CSRF protection. The session cookie holds a random id whose SHA-256 is
// the row in `sessions`; with an https PUBLIC_URL it is `__Host-` prefixed (Secure, Path=/, no
// Domain), so no sibling host can set or read it. CSRF tokens come from @fastify/csrf-protection,
// bound to the session (its id hash as "user info"), with their secret in a cookie of their own.
import csrfProtection from '@fastify/csrf-protection'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { hmac } from '../security.ts'
import { endSession, resolveSession, type SessionAccount } from '../modules/sessions/service.ts'

export type Access = 'public' | 'organizer' | 'admin'

declare module 'fastify' {
  interface FastifyRequest {
    account: SessionAccount | null
  }
  interface FastifyInstance {
    /** Every /admin route and the access it declared: the route-by-route tests walk it. */
    adminRoutes: { method: string; url: string; access: Access }[]
    sessionCookie: { name: string; secure: boolean }
    loadAccount(request: FastifyRequest): Promise<SessionAccount | null>
    setSessionCookie(reply: FastifyReply, id: string): void
    endRequestSession(request: FastifyRequest, reply: FastifyReply): Promise<void>
  }
  interface FastifyContextConfig {
    access?: Access
    /** Open to a session that must still replace a one-time password (the change screen, logout). */
    beforeOwnPassword?: true
  }
}

/** What CSRF tokens are bound to: the session, or (before login) the anonymous visitor's secret alone. */
export function csrfUserInfo(request: FastifyRequest): string {
  return request.account ? request.account.idHash.toString('hex') : 'anonymous'
}

export default fp(
  async function session(app: FastifyInstance) {
    const secure = app.config.publicUrl.startsWith('https:')
    const name = secure ? '__Host-ua_session' : 'ua_session'
    const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure }

    app.decorate('adminRoutes', [])
    app.decorate('sessionCookie', { name, secure })
    app.decorateRequest('account', null)

    app.decorate('loadAccount', async (request: FastifyRequest) => {
      const id = request.cookies[name]
      request.account = id ? ((await resolveSession(app.db, app.config, id)) ?? null) : null
      return request.account
    })
    app.decorate('setSessionCookie', (reply: FastifyReply, id: string) => {
      reply.setCookie(name, id, cookieOptions)
    })
    app.decorate('endRequestSession', async (request: FastifyRequest, reply: FastifyReply) => {
      const id = request.cookies[name]
      if (id) await endSession(app.db, id)
      reply.clearCookie(name, cookieOptions)
    })

    await app.register(csrfProtection, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: secure ? '__Host-ua_csrf' : 'ua_csrf',
      cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure },
      getUserInfo: csrfUserInfo,
      // From the body as sent: a route's schema has replaced request.body by the time this runs.
      getToken: (request) => {
        const sent = request.sentBody
        const field = sent && typeof sent === 'object' && '_csrf' in sent ? sent._csrf : undefined
        return typeof field === 'string' ? field : (request.headers['x-csrf-token'] as string | undefined)
      },
      csrfOpts: {
        hmacKey: hmac(app.config.secretKey, 'csrf', 'hmac-key').toString('base64'),
        // A form older than a session's whole life cannot be submitted.
        validity: app.config.sessionMaxHours * 3_600_000,
      },
    })
  },
  { name: 'session', dependencies: ['db', '@fastify/cookie'] },
)
