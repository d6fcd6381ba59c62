import type { FastifyInstance, FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import helmet, { type HelmetOptions } from 'helmet'

/**
 * A strict CSP: our own stylesheet and our one script file (the signing form's proof of work),
 * nothing inline, no third party, no framing.
 * helmet builds the headers; they depend on nothing in the request, so they are built once at
 * start rather than per request (@fastify/helmet re-parses the CSP on every request, which was
 * a tenth of a campaign page's cost).
 */
export default fp(
  async function security(app: FastifyInstance, opts: { https: boolean }) {
    const headers = securityHeaders({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          styleSrc: ["'self'"],
          scriptSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          baseUri: ["'none'"],
          frameAncestors: ["'none'"],
          ...(opts.https ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      strictTransportSecurity: opts.https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
      referrerPolicy: { policy: 'no-referrer' },
      // What frame-ancestors 'none' says, for browsers without CSP 2 (helmet's default is SAMEORIGIN).
      xFrameOptions: { action: 'deny' },
      crossOriginEmbedderPolicy: false,
      // For browsers long gone (IE 8's download prompt, the XSS auditor, Flash and Acrobat's
      // cross-domain files): every header is paid on every page.
      xDownloadOptions: false,
      xXssProtection: false,
      xPermittedCrossDomainPolicies: false,
    })
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers)
      done()
    })
    // The one page that may be framed (a campaign's embed) names the origins that may frame it;
    // X-Frame-Options cannot list origins, so it goes, and browsers read frame-ancestors alone.
    const csp = headers['content-security-policy']!
    app.decorateReply('frameableBy', function (this: FastifyReply, origins: readonly string[]) {
      const ancestors = origins.length > 0 ? origins.join(' ') : "'none'"
      this.header('content-security-policy', csp.replace("frame-ancestors 'none'", `frame-ancestors ${ancestors}`))
      if (origins.length > 0) this.removeHeader('x-frame-options')
      return this
    })
  },
  { name: 'security' },
)

declare module 'fastify' {
  interface FastifyReply {
    /** Lets pages of exactly these origins frame this answer (none: no one may). */
    frameableBy(origins: readonly string[]): FastifyReply
  }
}

/** Runs helmet once against a recording response and keeps the headers it sets. */
function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {}
  const recorder = {
    setHeader: (name: string, value: string) => {
      headers[name.toLowerCase()] = value
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()]
    },
  }
  helmet(options)({} as never, recorder as never, () => {})
  return headers
}
