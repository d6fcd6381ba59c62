// Public subscription pages: the form, the opt-in confirm page, preferences, and unsubscribe.
// Every link from an email opens a page whose one button POSTs; a GET changes nothing.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Locale } from '../../db/types.ts'
import { langTag, languageName, locales } from '../../i18n/index.ts'
import { listLiveCampaigns } from '../../modules/campaigns/service.ts'
import { countRefusal, formStamp, judgeForm } from '../../modules/form-guard/service.ts'
import {
  confirmationChoices,
  confirmSubscriber,
  inspectConfirm,
  inspectUnsubscribe,
  knownProvinces,
  inspectPreferences,
  preferencesOf,
  savePreferences,
  subscribe,
  unsubscribe,
  unsubscribeFromPreferences,
} from '../../modules/subscribers/service.ts'
import { subscriptionChoiceLines } from '../../present/subscribers/choices.ts'
import { knownProvince } from '../../place-names.ts'
import { subscribeBody } from '../api/v1/subscribers/schema.ts'
import { formValues, type FormPage } from '../../plugins/errors.ts'
import { limited } from '../../plugins/rate-limit.ts'
import { sentGuard, stampAgain } from '../form-guard.ts'
import { tokenParam } from '../schema.ts'

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v])
const fieldsOf = (body: unknown): Record<string, unknown> => (body && typeof body === 'object' ? { ...body } : {})

/** The form's ticked campaigns and provinces, as sent (checkboxes repeat their name). */
const selection = z
  .preprocess(
    (body) => {
      const form = fieldsOf(body)
      return { campaigns: list(form.campaigns), provinces: list(form.provinces) }
    },
    z.object({ campaigns: z.array(z.string()), provinces: z.array(z.string()) }),
  )
  .catch({ campaigns: [], provinces: [] })

/** The form read as the API's subscription; the preferences form has no address to check. */
const alertForm = (requireEmail: boolean) =>
  z.preprocess((body) => {
    const form = fieldsOf(body)
    return {
      email: requireEmail ? (form.email ?? '') : 'preferences@example.org',
      frequency: form.frequency || undefined,
      locale: form.locale || undefined,
      topics: { campaigns: list(form.campaigns), provinces: list(form.provinces) },
    }
  }, subscribeBody)

export default async function alertPages(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const byToken = { schema: { params: tokenParam } }
  async function choices(request: FastifyRequest) {
    const [campaigns, provinces] = await Promise.all([listLiveCampaigns(app.db), knownProvinces(app.db)])
    return {
      campaigns: campaigns.map((c) => app.present.campaigns.localise(c, request.locale)),
      // The label is the reader's; a stored topic under any of the province's names (keys) ticks it.
      provinces: provinces
        .map((p) => ({
          value: p.value,
          keys: p.keys,
          label: p.names[request.locale] ?? knownProvince(p.label, undefined, request.locale) ?? p.label,
        }))
        .sort((a, b) => a.label.localeCompare(b.label, langTag(request.locale))),
      languages: locales.map((l) => ({ code: l, name: languageName(l) })),
    }
  }

  async function renderForm(request: FastifyRequest, reply: FastifyReply, view: string, data: Record<string, unknown>) {
    return reply.view(view, { ...(await choices(request)), ...data })
  }

  app.get('/alerts', async (request, reply) =>
    renderForm(request, reply, 'pages/alerts/form', {
      values: { frequency: 'immediate', locale: request.locale },
      selected: { campaigns: [], provinces: [] },
      errors: {},
      formStamp: formStamp(app.config),
    }),
  )

  // Refused (by the schema or by the service: a campaign gone meanwhile), the form comes back with
  // each message in the reader's language and what was ticked.
  const refused = (view: string, extra: (request: FastifyRequest) => Record<string, unknown> = () => ({})) =>
    ({
      view,
      data: async (request) => ({
        ...(await choices(request)),
        ...extra(request),
        values: formValues(request),
        selected: selection.parse(request.sentBody),
        formStamp: stampAgain(app.config, request),
      }),
    }) satisfies FormPage

  const subscribeForm = { ...limited, config: { ...limited.config, form: refused('pages/alerts/form') } }
  app.post('/alerts', { ...subscribeForm, schema: { body: alertForm(true) } }, async (request, reply) => {
    const d = request.body
    // A bot is answered as a person is; only the count of such drops is kept.
    const bot = judgeForm(app.config, sentGuard(request))
    if (bot) await countRefusal(app.db, 'subscription', null, bot)
    else await subscribe(app.db, app.config, { ...d, locale: d.locale as Locale | undefined }, request.locale)
    return reply.view('pages/alerts/check', {})
  })

  /** The confirm page: the choices its button confirms, those of the latest request made with the address. */
  async function confirmPage(request: FastifyRequest, reply: FastifyReply, token: string, changed: boolean) {
    const pending = await confirmationChoices(app.db, app.config, token)
    if (!pending) return reply.view('pages/alerts/invalid', {})
    const choices = await subscriptionChoiceLines(app.db, pending.choices, request.locale)
    return reply.view('pages/alerts/confirm', { action: request.url, choices, shown: pending.shown, changed })
  }

  app.get('/alerts/confirm/:token', byToken, async (request, reply) => {
    const state = await inspectConfirm(app.db, app.config, request.params.token)
    reply.header('Cache-Control', 'no-store')
    if (state === 'invalid' || state === 'unsubscribed') return reply.view('pages/alerts/invalid', {})
    if (state === 'active') return reply.view('pages/alerts/confirmed', {})
    return confirmPage(request, reply, request.params.token, false)
  })

  const confirmBody = z.preprocess((body) => body ?? {}, z.object({ shown: z.string().max(64).optional() }))
  app.post('/alerts/confirm/:token', { schema: { params: tokenParam, body: confirmBody } }, async (request, reply) => {
    const state = await confirmSubscriber(app.db, app.config, request.params.token, request.body.shown)
    reply.header('Cache-Control', 'no-store')
    if (state === 'confirmed' || state === 'active') return reply.view('pages/alerts/confirmed', {})
    if (state === 'changed') return confirmPage(request, reply, request.params.token, true)
    return reply.view('pages/alerts/invalid', {})
  })

  // The page says so once its reader has unsubscribed, rather than that the link does not work.
  const notPreferences = async (token: string, reply: FastifyReply) =>
    (await inspectPreferences(app.db, app.config, token)) === 'unsubscribed'
      ? reply.view('pages/alerts/unsubscribed', {})
      : reply.view('pages/alerts/invalid', {})
  const unsubscribeAction = (token: string) => `/alerts/preferences/${encodeURIComponent(token)}/unsubscribe`

  app.get('/alerts/preferences/:token', byToken, async (request, reply) => {
    const prefs = await preferencesOf(app.db, app.config, request.params.token)
    reply.header('Cache-Control', 'no-store')
    if (!prefs) return notPreferences(request.params.token, reply)
    return renderForm(request, reply, 'pages/alerts/preferences', {
      action: request.url,
      unsubscribeAction: unsubscribeAction(request.params.token),
      values: { frequency: prefs.frequency, locale: prefs.locale },
      selected: { campaigns: prefs.campaigns.map((c) => c.slug), provinces: prefs.provinces },
      errors: {},
      saved: false,
    })
  })

  const preferencesForm = {
    config: {
      form: refused('pages/alerts/preferences', (request) => ({
        action: request.url,
        unsubscribeAction: unsubscribeAction(tokenParam.parse(request.params).token),
        saved: false,
      })),
    },
    // Refused or not, the page carries a token of its reader: no cache keeps it.
    onRequest: async (_request: FastifyRequest, reply: FastifyReply) => {
      reply.header('Cache-Control', 'no-store')
    },
    schema: { params: tokenParam, body: alertForm(false) },
  }
  app.post('/alerts/preferences/:token', preferencesForm, async (request, reply) => {
    const d = request.body
    const saved = await savePreferences(app.db, app.config, request.params.token, {
      locale: (d.locale ?? request.locale) as Locale,
      frequency: d.frequency ?? 'immediate',
      topics: d.topics,
    })
    if (!saved) return notPreferences(request.params.token, reply)
    return renderForm(request, reply, 'pages/alerts/preferences', {
      action: request.url,
      unsubscribeAction: unsubscribeAction(request.params.token),
      values: formValues(request),
      selected: selection.parse(request.sentBody),
      errors: {},
      saved: true,
    })
  })

  app.post('/alerts/preferences/:token/unsubscribe', byToken, async (request, reply) => {
    reply.header('Cache-Control', 'no-store')
    if (await unsubscribeFromPreferences(app.db, app.config, request.params.token)) {
      return reply.view('pages/alerts/unsubscribed', {})
    }
    reply.code(404)
    return reply.view('pages/alerts/invalid', {})
  })

  // RFC 8058 one-click: mail providers POST "List-Unsubscribe=One-Click", urlencoded or
  // multipart. The token in the URL is the authority; the body is not needed, so multipart is
  // accepted here (and only here) without being parsed.
  app.register(async function oneClick(instance) {
    const scoped = instance.withTypeProvider<ZodTypeProvider>()
    scoped.addContentTypeParser('multipart/form-data', { bodyLimit: 4096 }, (_request, payload, done) => {
      payload.on('data', () => {})
      payload.on('end', () => done(null, {}))
      payload.on('error', done)
    })

    scoped.get('/u/:token', byToken, async (request, reply) => {
      const state = await inspectUnsubscribe(app.db, app.config, request.params.token)
      reply.header('Cache-Control', 'no-store')
      if (state === 'invalid') return reply.view('pages/alerts/invalid', {})
      if (state === 'unsubscribed') return reply.view('pages/alerts/unsubscribed', {})
      return reply.view('pages/alerts/unsubscribe', { action: request.url })
    })

    scoped.post('/u/:token', byToken, async (request, reply) => {
      const done = await unsubscribe(app.db, app.config, request.params.token)
      reply.header('Cache-Control', 'no-store')
      if (!done) {
        reply.code(404)
        return reply.view('pages/alerts/invalid', {})
      }
      return reply.view('pages/alerts/unsubscribed', {})
    })
  })
}
