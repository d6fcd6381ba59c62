// Public subscription pages: the form, the opt-in confirm page, preferences, and unsubscribe.
// Every link from an email opens a page whose one button POSTs; a GET changes nothing.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Frequency, Locale } from '../../db/types.ts'
import { AppError } from '../../errors.ts'
import { langTag, languageName, locales } from '../../i18n/index.ts'
import { listLiveCampaigns } from '../../modules/campaigns/service.ts'
import { localise } from '../../modules/campaigns/present.ts'
import {
  confirmSubscriber,
  inspectConfirm,
  inspectUnsubscribe,
  knownProvinces,
  preferencesOf,
  savePreferences,
  subscribe,
  unsubscribe,
} from '../../modules/subscribers/service.ts'
import { subscribeBody } from '../api/v1/subscribers/schema.ts'
import { fieldErrors, type FieldErrors } from '../validation.ts'
import { limited } from '../../plugins/rate-limit.ts'

type Form = { email?: string; frequency?: string; locale?: string; campaigns?: string | string[]; provinces?: string | string[] }
const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v])

function tokenOf(request: FastifyRequest): string {
  const token = (request.params as { token?: unknown }).token
  return typeof token === 'string' ? token.slice(0, 100) : ''
}

export default async function alertPages(app: FastifyInstance) {
  async function choices(request: FastifyRequest) {
    const [campaigns, provinces] = await Promise.all([listLiveCampaigns(app.db), knownProvinces(app.db)])
    return {
      campaigns: campaigns.map((c) => localise(c, request.locale)),
      // The label is the reader's; a stored topic under any of the province's names (keys) ticks it.
      provinces: provinces
        .map((p) => ({ value: p.value, keys: p.keys, label: p.names[request.locale] ?? p.label }))
        .sort((a, b) => a.label.localeCompare(b.label, langTag(request.locale))),
      languages: locales.map((l) => ({ code: l, name: languageName(l) })),
    }
  }

  async function renderForm(request: FastifyRequest, reply: FastifyReply, view: string, data: Record<string, unknown>) {
    return reply.view(view, { ...(await choices(request)), ...data })
  }

  function parseForm(form: Form, requireEmail: boolean) {
    return subscribeBody.safeParse({
      email: requireEmail ? (form.email ?? '') : 'preferences@example.org',
      frequency: form.frequency || undefined,
      locale: form.locale || undefined,
      topics: { campaigns: list(form.campaigns), provinces: list(form.provinces) },
    })
  }

  app.get('/alerts', async (request, reply) =>
    renderForm(request, reply, 'pages/alerts/form', { values: { frequency: 'immediate', locale: request.locale }, selected: emptySelection(), errors: {} }),
  )

  app.post('/alerts', limited, async (request, reply) => {
    const form = (request.body ?? {}) as Form
    const parsed = parseForm(form, true)
    let errors: FieldErrors = parsed.success ? {} : fieldErrors(parsed.error, request.t)
    if (parsed.success) {
      try {
        const d = parsed.data
        await subscribe(app.db, app.config, { ...d, locale: d.locale as Locale | undefined }, request.locale)
        return reply.view('pages/alerts/check', {})
      } catch (err) {
        if (!(err instanceof AppError && err.fields)) throw err
        errors = err.fields
      }
    }
    reply.code(400)
    return renderForm(request, reply, 'pages/alerts/form', { values: form, selected: selection(form), errors })
  })

  app.get('/alerts/confirm/:token', async (request, reply) => {
    const state = await inspectConfirm(app.db, app.config, tokenOf(request))
    reply.header('Cache-Control', 'no-store')
    if (state === 'invalid' || state === 'unsubscribed') return reply.view('pages/alerts/invalid', {})
    if (state === 'active') return reply.view('pages/alerts/confirmed', {})
    return reply.view('pages/alerts/confirm', { action: request.url })
  })

  app.post('/alerts/confirm/:token', async (request, reply) => {
    const state = await confirmSubscriber(app.db, app.config, tokenOf(request))
    reply.header('Cache-Control', 'no-store')
    if (state === 'confirmed' || state === 'active') return reply.view('pages/alerts/confirmed', {})
    return reply.view('pages/alerts/invalid', {})
  })

  app.get('/alerts/preferences/:token', async (request, reply) => {
    const prefs = await preferencesOf(app.db, app.config, tokenOf(request))
    reply.header('Cache-Control', 'no-store')
    if (!prefs) return reply.view('pages/alerts/invalid', {})
    return renderForm(request, reply, 'pages/alerts/preferences', {
      action: request.url,
      values: { frequency: prefs.frequency, locale: prefs.locale },
      selected: { campaigns: prefs.campaigns.map((c) => c.slug), provinces: prefs.provinces },
      errors: {},
      saved: false,
    })
  })

  app.post('/alerts/preferences/:token', async (request, reply) => {
    const form = (request.body ?? {}) as Form
    const parsed = parseForm(form, false)
    reply.header('Cache-Control', 'no-store')
    let errors: FieldErrors = parsed.success ? {} : fieldErrors(parsed.error, request.t)
    if (parsed.success) {
      try {
        const d = parsed.data
        const saved = await savePreferences(app.db, app.config, tokenOf(request), {
          locale: (d.locale ?? request.locale) as Locale,
          frequency: (d.frequency ?? 'immediate') as Frequency,
          topics: d.topics,
        })
        if (!saved) return reply.view('pages/alerts/invalid', {})
        return renderForm(request, reply, 'pages/alerts/preferences', { action: request.url, values: form, selected: selection(form), errors: {}, saved: true })
      } catch (err) {
        if (!(err instanceof AppError && err.fields)) throw err
        errors = err.fields
      }
    }
    reply.code(400)
    return renderForm(request, reply, 'pages/alerts/preferences', { action: request.url, values: form, selected: selection(form), errors, saved: false })
  })

  function emptySelection() {
    return { campaigns: [] as string[], provinces: [] as string[] }
  }
  function selection(form: Form) {
    return { campaigns: list(form.campaigns), provinces: list(form.provinces) }
  }

  // RFC 8058 one-click: mail providers POST "List-Unsubscribe=One-Click", urlencoded or
  // multipart. The token in the URL is the authority; the body is not needed, so multipart is
  // accepted here (and only here) without being parsed.
  app.register(async function oneClick(scoped) {
    scoped.addContentTypeParser('multipart/form-data', { bodyLimit: 4096 }, (_request, payload, done) => {
      payload.on('data', () => {})
      payload.on('end', () => done(null, {}))
      payload.on('error', done)
    })

    scoped.get('/u/:token', async (request, reply) => {
      const state = await inspectUnsubscribe(app.db, app.config, tokenOf(request))
      reply.header('Cache-Control', 'no-store')
      if (state === 'invalid') return reply.view('pages/alerts/invalid', {})
      if (state === 'unsubscribed') return reply.view('pages/alerts/unsubscribed', {})
      return reply.view('pages/alerts/unsubscribe', { action: request.url })
    })

    scoped.post('/u/:token', async (request, reply) => {
      const done = await unsubscribe(app.db, app.config, tokenOf(request))
      reply.header('Cache-Control', 'no-store')
      if (!done) {
        reply.code(404)
        return reply.view('pages/alerts/invalid', {})
      }
      return reply.view('pages/alerts/unsubscribed', {})
    })
  })
}
