// Picks each request's language: ?lang= first (and remembered in a cookie), then the cookie,
// then Accept-Language. Decorates request.locale and request.t, and gives views their helpers.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import {
  formatDate,
  formatNumber,
  langTag,
  languageName,
  locales,
  negotiate,
  toLocale,
  translator,
  type Locale,
  type Translate,
} from '../i18n/index.ts'

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale
    t: Translate
  }
  interface FastifyReply {
    /** Merged into every view's data by @fastify/view. */
    locals?: Record<string, unknown>
  }
}

const YEAR = 365 * 24 * 3600

export default fp(
  async function locale(app: FastifyInstance, opts: { secureCookies: boolean }) {
    app.decorateRequest('locale', 'en')
    app.decorateRequest('t', null as unknown as Translate)
    app.addHook('onRequest', async (request, reply) => {
      const asked = toLocale((request.query as Record<string, unknown> | undefined)?.lang)
      if (asked) {
        reply.setCookie('lang', asked, {
          path: '/',
          maxAge: YEAR,
          httpOnly: true,
          sameSite: 'lax',
          secure: opts.secureCookies,
        })
      }
      const locale = asked ?? toLocale(request.cookies.lang) ?? negotiate(request.headers['accept-language'])
      request.locale = locale
      request.t = translator(locale)
      reply.locals = {
        t: request.t,
        locale,
        lang: langTag(locale),
        path: request.url.split('?')[0],
        languages: locales.map((l) => ({ code: l, name: languageName(l), current: l === locale })),
        n: (value: number | string) => formatNumber(locale, value),
        date: (value: Date) => formatDate(locale, value),
      }
      reply.header('Content-Language', langTag(locale))
      reply.header('Vary', 'Accept-Language, Cookie')
    })
  },
  { name: 'locale', dependencies: ['@fastify/cookie'] },
)
