// The whole web app as one Fastify instance. It never listens: server.ts does, tests inject.
import { readFileSync } from 'node:fs'
import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import Fastify, { type FastifyServerOptions } from 'fastify'
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import pino from 'pino'
import { trustProxyOption, type Config } from './config.ts'
import { Metrics } from './metrics.ts'
import metricsPlugin from './plugins/metrics.ts'
import type { Db } from './db/index.ts'
import { AppLogController, lazyChildLogger } from './logging.ts'
import { createPresent, type Present } from './present/index.ts'
import authPlugin from './plugins/auth.ts'
import dbPlugin from './plugins/db.ts'
import connectionsPlugin from './plugins/connections.ts'
import drainPlugin from './plugins/drain.ts'
import errorsPlugin from './plugins/errors.ts'
import localePlugin from './plugins/locale.ts'
import rateLimitPlugin from './plugins/rate-limit.ts'
import securityPlugin from './plugins/security.ts'
import inputPlugin from './plugins/input.ts'
import sessionPlugin from './plugins/session.ts'
import viewPlugin from './plugins/view.ts'
import adminConsole from './routes/admin/index.ts'
import alertPages from './routes/alerts/index.ts'
import updatePages from './routes/updates/index.ts'
import alertsApi from './routes/api/v1/alerts/index.ts'
import campaignsApi from './routes/api/v1/campaigns/index.ts'
import reportsApi from './routes/api/v1/reports/index.ts'
import subscribersApi from './routes/api/v1/subscribers/index.ts'
import targetsApi from './routes/api/v1/targets/index.ts'
import webhooksApi from './routes/api/v1/webhooks/index.ts'
import confirmPages from './routes/confirm/index.ts'
import letterConfirmPages from './routes/letters/index.ts'
import letterForms from './routes/letters/form.ts'
import devOutbox from './routes/dev/outbox.ts'
import health from './routes/health/index.ts'
import pages from './routes/pages/index.ts'
import openapiPlugin from './plugins/openapi.ts'
import figurePages from './routes/pages/figures.ts'
import sharePages from './routes/pages/share.ts'
import letterPages from './routes/pages/letters.ts'
import embedPages from './routes/pages/embed.ts'
import privacyPages from './routes/privacy/index.ts'
import sitePages from './routes/site/index.ts'
import reportPages from './routes/reports/index.ts'
import crawl from './routes/crawl.ts'
import assets from './routes/assets.ts'

// The API's version in its description: the package's.
const appVersion = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    /** This instance's page caches and localiser: created here, shared with no other instance. */
    present: Present
  }
}

export interface AppDeps {
  config: Config
  db: Db
  logger?: FastifyServerOptions['logger']
  /** The process's metrics (src/metrics.ts) when it serves them; otherwise requests are not counted. */
  metrics?: Metrics
}

// Logs carry no IP, no query string and no path parameters (confirm tokens live in paths), and
// no Postgres error detail: it quotes the values behind a constraint ("Key (email_key)=(kim@…)
// already exists"); the code, constraint and message say what went wrong without them.
export const requestSerializers = {
  req: (req: { method: string; routeOptions?: { url?: string }; id: string }) => ({
    id: req.id,
    method: req.method,
    route: req.routeOptions?.url,
  }),
  err: (err: unknown) => {
    // Anything but an error (a string, say) as itself: spread below, a string would become one key a character.
    if (typeof err !== 'object' || err === null) return { type: typeof err, message: String(err), stack: '' }
    const {
      detail: _detail,
      where: _where,
      ...kept
    } = pino.stdSerializers.err(err as Error) as ReturnType<typeof pino.stdSerializers.err> & {
      detail?: unknown
      where?: unknown
    }
    return kept
  },
}

export async function buildApp({ config, db, logger, metrics }: AppDeps) {
  const app = Fastify({
    logger: logger ?? { level: config.logLevel, serializers: requestSerializers },
    bodyLimit: 64 * 1024,
    // A client sending headers and then a byte a second held its connection for minutes (Fastify
    // turns Node's request timeout off): the whole request must arrive within REQUEST_TIMEOUT_MS,
    // headers within 10 s of it. No connectionTimeout: it is socket silence, and a console bulk
    // invalidation may work for minutes before it answers; idle keep-alive sockets have their own timeout.
    requestTimeout: config.requestTimeoutMs,
    http: {
      headersTimeout: Math.min(10_000, config.requestTimeoutMs),
      // How often Node looks for connections past those limits (its default is every 30 s).
      connectionsCheckingInterval: Math.min(1000, config.requestTimeoutMs),
    },
    trustProxy: trustProxyOption(config.trustProxy),
    logController: new AppLogController({
      disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace',
    }),
    routerOptions: { ignoreTrailingSlash: true },
    childLoggerFactory: lazyChildLogger,
  })
  app.decorate('config', config)
  app.decorate(
    'present',
    createPresent(db, (err) => app.log.warn({ err }, 'campaign figures could not be refreshed')),
  )
  // Route input is declared as zod schemas (params, querystring, body); see plugins/input.ts.
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)

  await app.register(metricsPlugin, { metrics: metrics ?? new Metrics(), served: metrics !== undefined })
  await app.register(drainPlugin)
  await app.register(connectionsPlugin)
  await app.register(dbPlugin, { db, redisUrl: config.redisUrl })
  await app.register(rateLimitPlugin)
  await app.register(cookie)
  await app.register(formbody, { bodyLimit: 16 * 1024 })
  await app.register(securityPlugin, { https: config.publicUrl.startsWith('https:') })
  // locale before view: it declares reply.locals, which @fastify/view then leaves alone.
  await app.register(localePlugin, {
    secureCookies: config.publicUrl.startsWith('https:'),
    publicUrl: config.publicUrl,
  })
  await app.register(viewPlugin, { cache: config.viewCache })
  // Before every route: it collects the /api/v1 routes as they are added.
  await app.register(openapiPlugin, { publicUrl: config.publicUrl, version: appVersion })
  await app.register(errorsPlugin)
  await app.register(inputPlugin)
  await app.register(authPlugin)
  await app.register(sessionPlugin)
  await app.register(assets)
  await app.register(crawl)

  await app.register(health)
  await app.register(pages)
  await app.register(letterPages)
  await app.register(figurePages)
  await app.register(sharePages)
  await app.register(embedPages)
  await app.register(confirmPages)
  await app.register(letterConfirmPages)
  await app.register(letterForms)
  await app.register(campaignsApi, { prefix: '/api/v1/campaigns' })
  await app.register(reportsApi, { prefix: '/api/v1/reports' })
  await app.register(alertsApi, { prefix: '/api/v1/alerts' })
  await app.register(subscribersApi, { prefix: '/api/v1/subscribers' })
  await app.register(targetsApi, { prefix: '/api/v1/targets' })
  await app.register(webhooksApi, { prefix: '/api/v1/webhooks' })
  await app.register(alertPages)
  await app.register(updatePages)
  await app.register(sitePages)
  await app.register(privacyPages, { prefix: '/privacy' })
  await app.register(reportPages)
  await app.register(adminConsole, { prefix: '/admin' })
  if (config.devOutbox) await app.register(devOutbox)

  return app
}
