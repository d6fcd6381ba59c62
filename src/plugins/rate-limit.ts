// Per-client limits on the public forms that write and send email. Counted in Redis under a
// keyed hash of the IP (never the IP itself); if Redis is down the limit is skipped, because
// signing must keep working without Redis.
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { hashIp } from '../security.ts'

export default fp(
  async function rateLimitPlugin(app: FastifyInstance) {
    await app.register(rateLimit, {
      global: false,
      redis: app.redis,
      nameSpace: `${app.config.queuePrefix}:rl:`,
      skipOnError: true,
      max: app.config.rateLimitPerMinute,
      timeWindow: 60_000,
      keyGenerator: (request) => hashIp(app.config.secretKey, request.ip)!.toString('hex'),
    })
  },
  { name: 'rate-limit', dependencies: ['db'] },
)

/** Route options for a public form or API call that writes and may send email. */
export const limited = { config: { rateLimit: {} } }
