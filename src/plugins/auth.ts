// Bearer-token authentication for organizer API routes.
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
  }
}

export default fp(
  async function auth(app: FastifyInstance) {
    app.decorateRequest('organizer', null)
    app.decorate('requireOrganizer', async (request: FastifyRequest) => {
      const header = request.headers.authorization ?? ''
      const match = /^Bearer\s+(\S+)$/i.exec(header)
      const organizer = match ? await authenticateToken(app.db, match[1]!) : undefined
      if (!organizer) throw new AppError('unauthorized')
      request.organizer = organizer
    })
  },
  { name: 'auth', dependencies: ['db'] },
)
