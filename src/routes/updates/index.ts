// The unsubscribe of an update email: it stops that campaign's updates for that signature, and
// nothing else. The link opens a page whose one button POSTs; mail providers POST to it directly
// (RFC 8058 one-click), urlencoded or multipart, with the token in the URL as the authority.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { inspectStop, stopUpdates } from '../../modules/updates/service.ts'
import { tokenParam } from '../schema.ts'

export default async function updatePages(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const byToken = { schema: { params: tokenParam } }
  app.addContentTypeParser('multipart/form-data', { bodyLimit: 4096 }, (_request, payload, done) => {
    payload.on('data', () => {})
    payload.on('end', () => done(null, {}))
    payload.on('error', done)
  })

  app.get('/updates/stop/:token', byToken, async (request, reply) => {
    const found = await inspectStop(app.db, app.config, request.params.token)
    reply.header('Cache-Control', 'no-store')
    if (!found) return reply.view('pages/updates/invalid', {})
    const campaign = found.campaign.title
    if (found.state === 'stopped') return reply.view('pages/updates/stopped', { campaign })
    return reply.view('pages/updates/stop', { action: request.url, campaign })
  })

  app.post('/updates/stop/:token', byToken, async (request, reply) => {
    const done = await stopUpdates(app.db, app.config, request.params.token)
    reply.header('Cache-Control', 'no-store')
    if (!done) {
      reply.code(404)
      return reply.view('pages/updates/invalid', {})
    }
    return reply.view('pages/updates/stopped', { campaign: done.campaign.title })
  })
}
