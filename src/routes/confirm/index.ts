// The page a confirmation email links to. GET only shows a button; the POST confirms.
// Mail scanners that prefetch links therefore change nothing.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { confirm, inspectConfirmation, type ConfirmState } from '../../modules/signatures/service.ts'
import { z } from 'zod'
import { signatureChoiceLines } from '../../present/signatures/choices.ts'
import { tokenParam } from '../schema.ts'
import type { Translate } from '../../i18n/index.ts'
import type { LetterWithSignatureShown } from '../../modules/platform-letters/service.ts'
import { sharePanel } from '../../present/share/links.ts'

/** The page's button sends back the digest of the choices it showed (`shown`); a script may omit it. */
const confirmBody = z.preprocess((body) => body ?? {}, z.object({ shown: z.string().max(64).optional() }))

export default async function confirmPages(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const byToken = { schema: { params: tokenParam } }

  app.get('/confirm/:token', byToken, async (request, reply) =>
    render(request, reply, await inspectConfirmation(app.db, app.config, request.params.token)),
  )

  app.post('/confirm/:token', { schema: { params: tokenParam, body: confirmBody } }, async (request, reply) =>
    render(request, reply, await confirm(app.db, app.config, request.params.token, request.body.shown)),
  )

  async function render(request: FastifyRequest, reply: FastifyReply, state: ConfirmState) {
    reply.header('Cache-Control', 'no-store')
    if (state.state === 'invalid') {
      return reply.view('pages/confirm/invalid', {})
    }
    const { campaign } = await app.present.campaignPages.data(state.slug)
    const c = app.present.campaigns.localise(campaign, request.locale)
    if (state.state === 'pending') {
      return reply.view('pages/confirm/ask', {
        campaign: c,
        action: request.url,
        choices: [
          ...signatureChoiceLines(state.choices, request.locale),
          // Signed and written in one go: the button sends the letter too, as shown here.
          ...letterLines(state.letter, request.t),
        ],
        shown: state.shown,
        changed: state.changed,
      })
    }
    return reply.view('pages/confirm/done', {
      campaign: c,
      justNow: state.justNow,
      alertsHeld: state.alerts === 'held',
      alerts: state.alerts,
      share: sharePanel(app.config.publicUrl, c, request.locale, request.t),
    })
  }
}

/** The lines of a letter sent with the signature, as the letter's own confirm page says them. */
function letterLines(letter: LetterWithSignatureShown | undefined, t: Translate) {
  if (!letter) return []
  return [
    {
      label: t('letter.choices.withSignature'),
      value: letter.to.map((r) => `${r.name} (${r.organisation})`).join(', '),
    },
    ...(letter.city ? [{ label: t('letter.choices.city'), value: letter.city }] : []),
    { label: t('letter.choices.letter'), value: letter.body ?? t('letter.choices.template') },
  ]
}
