// A campaign's signatures in the console: the masked table, the CSV export, and bulk
// invalidation (preview, apply, undo).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { countryOptions } from '../../i18n/countries.ts'
import {
  exportConfirmedCsv,
  invalidate,
  previewInvalidation,
  restoreInvalidation,
  signatureTable,
  type InvalidationFilter,
} from '../../modules/signature-admin/service.ts'
import { findCampaign } from '../../modules/campaigns/editing.ts'
import { attachment } from '../download.ts'
import { actorOf, formErrorOf, formValues, page, param, parseForm, type FormValues } from './forms.ts'
import { idParam, invalidationApplyForm, invalidationFilterForm, slugParam, tableQuery } from './schema.ts'

const organizer = { config: { access: 'organizer' as const } }

function filterValues(q: unknown): FormValues {
  const values: FormValues = {}
  if (q && typeof q === 'object') {
    for (const k of ['sameIpAs', 'emailDomain', 'from', 'to']) {
      const v = (q as Record<string, unknown>)[k]
      if (typeof v === 'string') values[k] = v.slice(0, 300)
    }
  }
  return values
}

export default async function signatures(app: FastifyInstance) {
  app.get('/campaigns/:slug/signatures', organizer, async (request, reply) => {
    const { slug } = param(slugParam, request.params)
    const q = tableQuery.parse(request.query ?? {})
    const table = await signatureTable(app.db, slug, { status: q.status, country: q.country }, q.page ?? 1)
    return page(reply, 'signatures/table', { table, filter: q, countries: countryOptions(request.locale) })
  })

  app.get('/campaigns/:slug/signatures.csv', organizer, async (request, reply) => {
    const { slug } = param(slugParam, request.params)
    const { filename, stream } = await exportConfirmedCsv(app.db, actorOf(request), slug)
    return reply.type('text/csv; charset=utf-8').header('Content-Disposition', attachment(filename)).send(stream)
  })

  async function renderPreview(
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    values: FormValues,
    extraErrors: Record<string, string> = {},
    status = 200,
  ) {
    const campaign = await findCampaign(app.db, slug)
    const hasInput = Object.values(values).some(Boolean)
    const parsed = hasInput ? parseForm(request, invalidationFilterForm, values) : undefined
    const preview = parsed?.ok ? await previewInvalidation(app.db, slug, parsed.data as InvalidationFilter) : undefined
    const errors = { ...(parsed && !parsed.ok ? parsed.errors : {}), ...extraErrors }
    return page(reply, 'signatures/invalidate', { campaign, values, errors, preview }, parsed && !parsed.ok ? 400 : status)
  }

  app.get('/campaigns/:slug/invalidations/new', organizer, async (request, reply) => {
    const { slug } = param(slugParam, request.params)
    return renderPreview(request, reply, slug, filterValues(request.query))
  })

  app.post('/campaigns/:slug/invalidations', organizer, async (request, reply) => {
    const { slug } = param(slugParam, request.params)
    const values = filterValues(formValues(request))
    const filter = parseForm(request, invalidationFilterForm, values)
    const expected = parseForm(request, invalidationApplyForm, request.body)
    if (!filter.ok || !expected.ok) return renderPreview(request, reply, slug, values, {}, 400)
    try {
      await invalidate(app.db, actorOf(request), slug, filter.data as InvalidationFilter, {
        total: expected.data.expected,
        upTo: expected.data.upTo,
      })
    } catch (err) {
      const { status, errors } = formErrorOf(request, err)
      return renderPreview(request, reply, slug, values, errors, status)
    }
    return reply.redirect(`/admin/campaigns/${slug}`, 303)
  })

  app.post('/campaigns/:slug/invalidations/:id/restore', organizer, async (request, reply) => {
    const { slug } = param(slugParam, request.params)
    const { id } = param(idParam, request.params)
    await restoreInvalidation(app.db, actorOf(request), slug, id)
    return reply.redirect(`/admin/campaigns/${slug}`, 303)
  })
}
