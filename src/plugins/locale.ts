// Picks each request's language: ?lang= first (and remembered in a cookie), then the cookie,
// then Accept-Language. Decorates request.locale and request.t, and gives views their helpers.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
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
import { FAVICON_URL, pageAddresses } from '../crawl.ts'
import { sameOriginPath } from '../security.ts'
import { stylesheet } from '../assets.ts'

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale
    t: Translate
    /** The language ?lang= asked for on this request (read before a route's schema strips the query). */
    localeAsked: Locale | undefined
  }
  interface FastifyReply {
    /** Merged into every view's data by @fastify/view. */
    locals?: Record<string, unknown>
    viewLocals: Record<string, unknown> | null
  }
}

const YEAR = 365 * 24 * 3600

// What every view gets in a language, built once per language rather than once per request.
function helpersFor(locale: Locale) {
  return {
    t: translator(locale),
    locale,
    lang: langTag(locale),
    stylesheet: stylesheet.url,
    favicon: FAVICON_URL,
    languages: locales.map((l) => ({ code: l, name: languageName(l), current: l === locale })),
    n: (value: number | string) => formatNumber(locale, value),
    date: (value: Date) => formatDate(locale, value),
  }
}
const viewHelpers = Object.fromEntries(locales.map((l) => [l, helpersFor(l)])) as Record<
  Locale,
  ReturnType<typeof helpersFor>
>

/**
 * Speaks another language than the one negotiated for this request (the console: the account's
 * own). Call it before anything reads reply.locals.
 */
export function useLocale(request: FastifyRequest, reply: FastifyReply, locale: Locale) {
  if (request.locale === locale && !reply.viewLocals) return
  request.locale = locale
  request.t = viewHelpers[locale].t
  reply.viewLocals = null
  reply.header('Content-Language', viewHelpers[locale].lang)
}

export default fp(
  async function locale(app: FastifyInstance, opts: { secureCookies: boolean; publicUrl: string }) {
    app.decorateRequest('locale', 'en')
    app.decorateRequest('t', null as unknown as Translate)
    app.decorateRequest('localeAsked', undefined)
    // reply.locals is built when a view first reads it: a page served from cache never does.
    // Declared here, before @fastify/view, so the view plugin adds no hook of its own for it.
    app.decorateReply('viewLocals', null)
    app.decorateReply('locals', {
      getter(this: FastifyReply) {
        if (this.viewLocals) return this.viewLocals
        const path = sameOriginPath(this.request.url, false)
        return (this.viewLocals = {
          ...viewHelpers[this.request.locale],
          path,
          addresses: pageAddresses(opts.publicUrl, path, this.request.locale),
        })
      },
      setter(this: FastifyReply, value: Record<string, unknown>) {
        this.viewLocals = value
      },
    })
    app.addHook('onRequest', (request, reply, done) => {
      const asked = toLocale((request.query as Record<string, unknown> | undefined)?.lang)
      request.localeAsked = asked
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
      const helpers = viewHelpers[locale]
      request.t = helpers.t
      reply.header('Content-Language', helpers.lang)
      reply.header('Vary', 'Accept-Language, Cookie')
      done()
    })
  },
  { name: 'locale', dependencies: ['@fastify/cookie'] },
)
