// The page a confirmation email links to. GET only shows a button; the POST confirms.
// Mail scanners that prefetch links therefore change nothing.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { campaignPageData } from '../../modules/campaigns/page-data.ts'
import { localise } from '../../modules/campaigns/present.ts'
import { confirm, inspectConfirmation, type ConfirmState } from '../../modules/signatures/service.ts'

export default async function confirmPages(app: FastifyInstance) {
  app.get('/confirm/:token', async (request, reply) => {
    const token = tokenOf(request)
    return render(request, reply, await inspectConfirmation(app.db, app.config, token))
  })

  app.post('/confirm/:token', async (request, reply) => {
    const token = tokenOf(request)
    return render(request, reply, await confirm(app.db, app.config, token))
  })

  async function render(request: FastifyRequest, reply: FastifyReply, state: ConfirmState) {
    reply.header('Cache-Control', 'no-store')
    if (state.state === 'invalid') {
      return reply.view('pages/confirm/invalid', {})
    }
    const { campaign } = await campaignPageData(app.db, state.slug)
    const c = localise(campaign, request.locale)
    if (state.state === 'pending') return reply.view('pages/confirm/ask', { campaign: c, action: request.url })
    return reply.view('pages/confirm/done', { campaign: c, justNow: state.justNow })
  }
}

function tokenOf(request: FastifyRequest): string {
  const token = (request.params as { token?: unknown }).token
  return typeof token === 'string' ? token.slice(0, 100) : ''
}
