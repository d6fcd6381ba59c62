// Counts every answered request by method, route pattern and status, with its time, and the
// rate limiter's refusals (429): what /metrics shows of the web role (src/metrics.ts). The route
// is the pattern (`/campaigns/:slug`), never the URL as sent; unmatched requests are one label.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Metrics } from '../metrics.ts'

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics
  }
}

export default fp(
  async function metricsPlugin(app: FastifyInstance, { metrics, served }: { metrics: Metrics; served: boolean }) {
    app.decorate('metrics', metrics)
    // Nobody reads them unless METRICS_PORT serves them: no work per request then.
    if (!served) return
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched'
      const method = request.method
      metrics.httpRequests.inc({ method, route, status: String(reply.statusCode) })
      metrics.httpDuration.observe({ method, route }, reply.elapsedTime / 1000)
      if (reply.statusCode === 429) metrics.rateLimited.inc({ route })
    })
  },
  { name: 'metrics' },
)
