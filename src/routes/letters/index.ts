// The page a letter's confirmation email links to. GET only shows what would be sent and a
// button; the POST sends. Mail scanners that prefetch links therefore send nothing.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { confirmLetter, inspectConfirmation, type LetterConfirmState } from '../../modules/platform-letters/service.ts'
import { letterChoiceLines, paragraphs } from '../../present/letters/choices.ts'
import { tokenParam } from '../schema.ts'

/** The page's button sends back the digest of what it showed (`shown`); a script may omit it. */
const confirmBody = z.preprocess((body) => body ?? {}, z.object({ shown: z.string().max(64).optional() }))

export default async function letterPages(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  app.get('/letters/confirm/:token', { schema: { params: tokenParam } }, async (request, reply) =>
    render(request, reply, await inspectConfirmation(app.db, app.config, request.params.token)),
  )

  app.post('/letters/confirm/:token', { schema: { params: tokenParam, body: confirmBody } }, async (request, reply) =>
    render(request, reply, await confirmLetter(app.db, app.config, request.params.token, request.body.shown)),
  )

  async function render(request: FastifyRequest, reply: FastifyReply, state: LetterConfirmState) {
    reply.header('Cache-Control', 'no-store')
    if (state.state === 'invalid') return reply.view('pages/confirm/invalid', {})
    const { campaign } = await app.present.campaignPages.data(state.slug)
    const c = app.present.campaigns.localise(campaign, request.locale)
    if (state.state === 'pending') {
      return reply.view('pages/letters/confirm', {
        campaign: c,
        action: request.url,
        choices: letterChoiceLines(state.choices, state.recipients, request.locale),
        text: state.choices.body ? paragraphs(state.choices.body) : null,
        shown: state.shown,
        changed: state.changed,
      })
    }
    return reply.view('pages/letters/confirmed', {
      campaign: c,
      justNow: state.justNow,
      alertsHeld: state.alerts === 'held',
    })
  }
}
