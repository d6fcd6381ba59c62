// Bearer-token authentication for organizer API routes, and the token's scope.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { AppError } from '../errors.ts'
import { authenticateToken, type Organizer } from '../modules/organizers/service.ts'

declare module 'fastify' {
  interface FastifyRequest {
    organizer: Organizer | null
  }
  interface FastifyInstance {
    requireOrganizer: (request: FastifyRequest) => Promise<void>
    /** Every JSON API route registered, by method: what the scope test walks. */
    apiRoutes: { method: string; url: string }[]
  }
}

const READS = new Set(['GET', 'HEAD'])

export default fp(
  async function auth(app: FastifyInstance) {
    app.decorateRequest('organizer', null)
    app.decorate('apiRoutes', [])
    app.addHook('onRoute', (route) => {
      if (!route.url.startsWith('/api/')) return
      for (const method of [route.method].flat()) app.apiRoutes.push({ method, url: route.url })
    })
    app.decorate('requireOrganizer', async (request: FastifyRequest) => {
      const header = request.headers.authorization ?? ''
      const match = /^Bearer\s+(\S+)$/i.exec(header)
      const organizer = match ? await authenticateToken(app.db, match[1]!) : undefined
      if (!organizer) throw new AppError('unauthorized')
      // A read token reads: any other method changes something, whatever the route.
      if (organizer.scope === 'read' && !READS.has(request.method)) {
        throw new AppError('forbidden', undefined, 'error.token.readOnly')
      }
      request.organizer = organizer
    })
  },
  { name: 'auth', dependencies: ['db'] },
)
