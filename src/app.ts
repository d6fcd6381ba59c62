// The whole web app as one Fastify instance. It never listens: server.ts does, tests inject.
import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import Fastify, { LogController, type FastifyServerOptions } from 'fastify'
import pino from 'pino'
import { trustProxyOption, type Config } from './config.ts'
import type { Db } from './db/index.ts'
import { lazyChildLogger } from './logging.ts'
import authPlugin from './plugins/auth.ts'
import dbPlugin from './plugins/db.ts'
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
import alertsApi from './routes/api/v1/alerts/index.ts'
import campaignsApi from './routes/api/v1/campaigns/index.ts'
import reportsApi from './routes/api/v1/reports/index.ts'
import subscribersApi from './routes/api/v1/subscribers/index.ts'
import confirmPages from './routes/confirm/index.ts'
import devOutbox from './routes/dev/outbox.ts'
import health from './routes/health/index.ts'
import pages from './routes/pages/index.ts'
import privacyPages from './routes/privacy/index.ts'
import reportPages from './routes/reports/index.ts'
import stylesheet from './routes/stylesheet.ts'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
  }
}

export interface AppDeps {
  config: Config
  db: Db
  logger?: FastifyServerOptions['logger']
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
  err: (err: Error) => {
    const { detail: _detail, where: _where, ...kept } = pino.stdSerializers.err(err) as ReturnType<typeof pino.stdSerializers.err> & {
      detail?: unknown
      where?: unknown
    }
    return kept
  },
}

export async function buildApp({ config, db, logger }: AppDeps) {
  const app = Fastify({
    logger: logger ?? { level: config.logLevel, serializers: requestSerializers },
    bodyLimit: 64 * 1024,
    trustProxy: trustProxyOption(config.trustProxy),
    logController: new LogController({
      disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace',
    }),
    routerOptions: { ignoreTrailingSlash: true },
    childLoggerFactory: lazyChildLogger,
  })
  app.decorate('config', config)

  await app.register(drainPlugin)
  await app.register(dbPlugin, { db, redisUrl: config.redisUrl })
  await app.register(rateLimitPlugin)
  await app.register(cookie)
  await app.register(formbody, { bodyLimit: 16 * 1024 })
  await app.register(securityPlugin, { https: config.publicUrl.startsWith('https:') })
  // locale before view: it declares reply.locals, which @fastify/view then leaves alone.
  await app.register(localePlugin, { secureCookies: config.publicUrl.startsWith('https:') })
  await app.register(viewPlugin, { cache: config.viewCache })
  await app.register(errorsPlugin)
  await app.register(inputPlugin)
  await app.register(authPlugin)
  await app.register(sessionPlugin)
  await app.register(stylesheet)

  await app.register(health)
  await app.register(pages)
  await app.register(confirmPages)
  await app.register(campaignsApi, { prefix: '/api/v1/campaigns' })
  await app.register(reportsApi, { prefix: '/api/v1/reports' })
  await app.register(alertsApi, { prefix: '/api/v1/alerts' })
  await app.register(subscribersApi, { prefix: '/api/v1/subscribers' })
  await app.register(alertPages)
  await app.register(privacyPages, { prefix: '/privacy' })
  await app.register(reportPages)
  await app.register(adminConsole, { prefix: '/admin' })
  if (config.devOutbox) await app.register(devOutbox)

  return app
}
