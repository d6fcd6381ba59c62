import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Redis } from 'ioredis'
import type { Db } from '../db/index.ts'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    redis: Redis
  }
}

/**
 * The process's Kysely comes from the caller (one pool per process, closed by whoever made it).
 * The web's own Redis connection fails fast when Redis is down instead of queueing commands:
 * a request must not hang on it.
 */
export default fp(
  async function dbPlugin(app: FastifyInstance, opts: { db: Db; redisUrl: string }) {
    app.decorate('db', opts.db)
    const redis = new Redis(opts.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: true,
    })
    redis.on('error', (err) => app.log.warn({ err: err.message }, 'redis connection error'))
    // Wait briefly for the first connection so /readyz is right from the start, but start
    // anyway when Redis is down: signing does not need it, and ioredis reconnects by itself.
    await Promise.race([redis.connect().catch(() => {}), new Promise((r) => setTimeout(r, 2000).unref())])
    app.decorate('redis', redis)
    app.addHook('onClose', async () => {
      redis.disconnect()
    })
  },
  { name: 'db' },
)
