// "Have the platform send it": the form (its own page, so the campaign page stays light and its
// signing form keeps its field ids), refused fields shown again in the reader's language, and a
// thank-you page. The same form guard and rate budget as signing.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Locale } from '../../db/types.ts'
import { notFound } from '../../errors.ts'
import { formStamp, judgeForm } from '../../modules/form-guard/service.ts'
import { letterRecipients } from '../../modules/platform-letters/service.ts'
import type { PageData } from '../../present/campaigns/page-cache.ts'
import { formValues, type FormPage } from '../../plugins/errors.ts'
import { limited } from '../../plugins/rate-limit.ts'
import { formBody } from '../../plugins/validation.ts'
import { letterBody, slugParam } from '../api/v1/campaigns/schema.ts'
import { sentGuard, stampAgain } from '../form-guard.ts'
import { submitLetter } from './submit.ts'

type LetterForm = Partial<
  Record<'name' | 'email' | 'country' | 'city' | 'body' | 'alerts' | 'noUpdates' | 'sign', string>
>

const letterForm = formBody(
  z.preprocess(
    (f: LetterForm) => ({
      name: f.name ?? '',
      email: f.email ?? '',
      country: f.country ?? '',
      city: f.city || undefined,
      body: f.body || undefined,
      alerts: f.alerts === 'on',
      updates: f.noUpdates !== 'on',
      sign: f.sign === 'on',
    }),
    letterBody,
  ),
  'drop',
)

/** The campaign's letter as the reader first sees it in the form: in their language, else the campaign's. */
function templateFor(data: PageData, locale: Locale) {
  return data.letter[locale] ?? data.letter[data.campaign.locale as Locale] ?? Object.values(data.letter)[0]
}

const same = (a: string, b: string) => a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim()

export default async function letterForms(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const pages = app.present.campaignPages

  /** The form needs a live campaign with a target the platform can write to; whom it goes to, by name. */
  async function recipientsOf(data: PageData) {
    const recipients = data.campaign.status === 'live' ? await letterRecipients(app.db, data.campaign.id) : []
    if (recipients.length === 0) throw notFound()
    return recipients
  }

  function formView(
    request: FastifyRequest,
    data: PageData,
    recipients: { name: string; organisation: string }[],
    values: LetterForm,
    errors: Record<string, string>,
    stamp: string,
  ) {
    const template = templateFor(data, request.locale)
    return {
      campaign: app.present.campaigns.localise(data.campaign, request.locale),
      values: { body: template?.body ?? '', ...values },
      errors,
      hasErrors: Object.keys(errors).length > 0,
      subject: template?.subject ?? null,
      recipients,
      countries: app.present.countryOptions(request.locale),
      formStamp: stamp,
      bodyMax: 5000,
    }
  }

  app.get('/campaigns/:slug/letter/send', { schema: { params: slugParam } }, async (request, reply) => {
    const data = await pages.data(request.params.slug)
    const recipients = await recipientsOf(data)
    return reply.view(
      'pages/letters/send',
      formView(request, data, recipients, {}, {}, formStamp(app.config, Date.now())),
    )
  })

  const sendFormPage: FormPage = {
    view: 'pages/letters/send',
    data: async (request, errors) => {
      const data = await pages.data(slugParam.parse(request.params).slug)
      const values = formValues(request)
      const recipients = await letterRecipients(app.db, data.campaign.id)
      return formView(request, data, recipients, values, errors, stampAgain(app.config, request))
    },
  }

  app.post(
    '/campaigns/:slug/letter/send',
    {
      ...limited,
      config: { ...limited.config, form: sendFormPage },
      schema: { params: slugParam, body: letterForm },
    },
    async (request, reply) => {
      const { slug } = request.params
      const data = await pages.data(slug)
      // A bot is answered as a person is, and nothing is sent.
      if (judgeForm(app.config, sentGuard(request))) return reply.redirect(`/campaigns/${slug}/letter/send/thanks`, 303)
      // The letter as the form offered it, unchanged: sent in each target's own language.
      const template = templateFor(data, request.locale)
      const input = request.body
      const body = input.body && template && same(input.body, template.body) ? undefined : input.body
      await submitLetter(app, request, data, { ...input, body })
      return reply.redirect(`/campaigns/${slug}/letter/send/thanks`, 303)
    },
  )

  app.get('/campaigns/:slug/letter/send/thanks', { schema: { params: slugParam } }, async (request, reply) => {
    const { campaign } = await pages.data(request.params.slug)
    return reply.view('pages/letters/thanks', { campaign: app.present.campaigns.localise(campaign, request.locale) })
  })
}
