// The device cookie (OWASP, "Blocking Brute Force Attacks"): set at each login, it lets this
// browser through a lock that guessing from elsewhere put on the account. Its value names no
// address (modules/accounts/throttle.ts). `__Host-` prefixed with an https PUBLIC_URL.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

const MAX_AGE_SECONDS = 180 * 24 * 3600

function cookieName(app: FastifyInstance) {
  return app.sessionCookie.secure ? '__Host-ua_device' : 'ua_device'
}

export function deviceCookieOf(app: FastifyInstance, request: FastifyRequest): string | undefined {
  return request.cookies[cookieName(app)]
}

export function setDeviceCookie(app: FastifyInstance, reply: FastifyReply, value: string) {
  reply.setCookie(cookieName(app), value, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: app.sessionCookie.secure,
    maxAge: MAX_AGE_SECONDS,
  })
}
