import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'

export default async function health(app: FastifyInstance) {
  app.get('/healthz', async () => ({ status: 'ok' }))

  // Ready when both Postgres and Redis answer; load balancers stop sending traffic otherwise.
  app.get('/readyz', async (_request, reply) => {
    const [postgres, redis] = await Promise.all([
      withTimeout(sql`select 1`.execute(app.db), 2000).then(
        () => 'ok',
        () => 'down',
      ),
      withTimeout(app.redis.ping(), 1000).then(
        () => 'ok',
        () => 'down',
      ),
    ])
    const ready = postgres === 'ok' && redis === 'ok'
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', postgres, redis })
  })
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref()),
  ])
}
