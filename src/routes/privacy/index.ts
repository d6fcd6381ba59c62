// Self-service erasure (folder = /privacy). The form answers the same whatever the address; the
// emailed link opens a page whose one button POSTs, so a mail scanner's prefetch erases nothing.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { erase, inspectLink, LINK_HOURS, requestErasure, type ErasureLinkState } from '../../modules/erasure/service.ts'
import { limited } from '../../plugins/rate-limit.ts'
import { fieldErrors } from '../validation.ts'

const eraseBody = z.object({ email: z.string().trim().max(254).pipe(z.email()) })

// A POST that erased nothing says why, with a status to match; a GET always shows its page.
const refused: Record<Exclude<ErasureLinkState, 'ready'>, number> = { invalid: 404, expired: 410, used: 409 }

function tokenOf(request: FastifyRequest): string {
  const token = (request.params as { token?: unknown }).token
  return typeof token === 'string' ? token.slice(0, 100) : ''
}

export default async function privacyPages(app: FastifyInstance) {
  app.get('/erase', async (_request, reply) => reply.view('pages/privacy/erase-form', { values: {}, errors: {} }))

  app.post('/erase', limited, async (request, reply) => {
    const form = (request.body ?? {}) as { email?: unknown }
    const parsed = eraseBody.safeParse({ email: typeof form.email === 'string' ? form.email : '' })
    if (!parsed.success) {
      reply.code(400)
      const email = typeof form.email === 'string' ? form.email : ''
      return reply.view('pages/privacy/erase-form', { values: { email }, errors: fieldErrors(parsed.error, request.t) })
    }
    await requestErasure(app.db, parsed.data.email)
    return reply.view('pages/privacy/erase-sent', { hours: LINK_HOURS })
  })

  app.get('/erase/:token', async (request, reply) => {
    const state = await inspectLink(app.db, app.config, tokenOf(request))
    reply.header('Cache-Control', 'no-store')
    if (state === 'ready') return reply.view('pages/privacy/erase-confirm', { action: request.url })
    return reply.view('pages/privacy/erase-link', { state, hours: LINK_HOURS })
  })

  app.post('/erase/:token', async (request, reply) => {
    const outcome = await erase(app.db, app.config, tokenOf(request))
    reply.header('Cache-Control', 'no-store')
    if (outcome === 'erased') return reply.view('pages/privacy/erase-done', {})
    reply.code(refused[outcome])
    return reply.view('pages/privacy/erase-link', { state: outcome, hours: LINK_HOURS })
  })
}
