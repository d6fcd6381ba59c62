// Self-service erasure (folder = /privacy). The form answers the same whatever the address; the
// emailed link opens a page whose one button POSTs, so a mail scanner's prefetch erases nothing.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { erase, inspectLink, LINK_HOURS, requestErasure, type ErasureLinkState } from '../../modules/erasure/service.ts'
import { limited } from '../../plugins/rate-limit.ts'
import { formBody } from '../../plugins/validation.ts'
import { emailAddress, tokenParam } from '../schema.ts'

const eraseBody = formBody(z.object({ email: emailAddress }), 'drop')

// A POST that erased nothing says why, with a status to match; a GET always shows its page.
const refused: Record<Exclude<ErasureLinkState, 'ready'>, number> = { invalid: 404, expired: 410, used: 409 }

export default async function privacyPages(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const byToken = { schema: { params: tokenParam } }
  app.get('/erase', async (_request, reply) => reply.view('pages/privacy/erase-form', { values: {}, errors: {} }))

  const eraseForm = {
    ...limited,
    config: { ...limited.config, form: { view: 'pages/privacy/erase-form', data: () => ({}) } },
  }
  app.post('/erase', { ...eraseForm, schema: { body: eraseBody } }, async (request, reply) => {
    await requestErasure(app.db, request.body.email)
    return reply.view('pages/privacy/erase-sent', { hours: LINK_HOURS })
  })

  app.get('/erase/:token', byToken, async (request, reply) => {
    const state = await inspectLink(app.db, app.config, request.params.token)
    reply.header('Cache-Control', 'no-store')
    if (state === 'ready') return reply.view('pages/privacy/erase-confirm', { action: request.url })
    return reply.view('pages/privacy/erase-link', { state, hours: LINK_HOURS })
  })

  app.post('/erase/:token', byToken, async (request, reply) => {
    const outcome = await erase(app.db, app.config, request.params.token)
    reply.header('Cache-Control', 'no-store')
    if (outcome === 'erased') return reply.view('pages/privacy/erase-done', {})
    reply.code(refused[outcome])
    return reply.view('pages/privacy/erase-link', { state: outcome, hours: LINK_HOURS })
  })
}
