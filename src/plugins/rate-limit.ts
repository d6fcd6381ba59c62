// One budget per client for the public forms and API calls that write and may send email:
// RATE_LIMIT_PER_MINUTE is for all of them together, so that a client cannot multiply it by the
// number of routes. Counted in Redis under a keyed hash of the client's network (an IPv4
// address, an IPv6 /64; never the address itself); if Redis is down the limit is skipped,
// because signing must keep working without Redis.
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import { AppError } from '../errors.ts'
import { hashClient } from '../security.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Counts against the client's one budget of requests that may send email. */
    emailBudget?: boolean
  }
}

export default fp(
  async function rateLimitPlugin(app: FastifyInstance) {
    await app.register(rateLimit, {
      global: false,
      redis: app.redis,
      nameSpace: `${app.config.queuePrefix}:rl:`,
      skipOnError: true,
      max: app.config.rateLimitPerMinute,
      timeWindow: 60_000,
      keyGenerator: (request) => hashClient(app.config, request.ip)!.toString('hex'),
    })
    // One limiter for every such route. Route options (even with a shared groupId) would count
    // each route apart: the plugin's Redis store puts the route's URL in the key
    // (fastify/fastify-rate-limit#463).
    const spend = app.createRateLimit()
    const hook: onRequestAsyncHookHandler = async (request, reply) => {
      const outcome = await spend(request)
      if (outcome.isAllowed || !outcome.isExceeded) return
      reply.header('retry-after', outcome.ttlInSeconds)
      throw new AppError('rate_limited')
    }
    app.addHook('onRoute', (route) => {
      if (!route.config?.emailBudget) return
      const existing = route.onRequest
      route.onRequest = existing ? [...(Array.isArray(existing) ? existing : [existing]), hook] : [hook]
    })
  },
  { name: 'rate-limit', dependencies: ['db'] },
)

/** Route options for a public form or API call that writes and may send email. */
export const limited = { config: { emailBudget: true } }
