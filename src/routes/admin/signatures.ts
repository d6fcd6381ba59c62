// A campaign's signatures in the console: the masked table, the CSV export, and bulk
// invalidation (preview, apply, undo).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { findCampaign } from '../../modules/campaigns/service.ts'
import {
  exportConfirmedCsv,
  invalidate,
  invalidationSample,
  previewInvalidation,
  restoreInvalidation,
  signatureTable,
  type InvalidationFilter,
} from '../../modules/signature-admin/service.ts'
import { formBody, messageOf, passIssue } from '../../plugins/validation.ts'
import { attachment } from '../download.ts'
import { actorOf, askFirst, confirmed, confirmForm, consoleForm, formValues, page, type FormValues } from './forms.ts'
import { invalidationApplyForm, invalidationFilterForm, slugIdParams, slugParam, tableQuery } from './schema.ts'
import { dayRange, searchValues } from './search.ts'

type TableSearch = z.output<typeof tableQuery>

const organizer = { config: { access: 'organizer' as const } }
const bySlug = { ...organizer, schema: { params: slugParam } }

function filterValues(q: unknown): FormValues {
  const values: FormValues = {}
  if (q && typeof q === 'object') {
    for (const [k, v] of Object.entries(q)) {
      if (['sameIpAs', 'emailDomain', 'from', 'to'].includes(k) && typeof v === 'string') values[k] = v.slice(0, 300)
    }
  }
  return values
}

// A filter in the address (the preview), with the values as typed; none at all is the empty
// form, not an error.
const filterQuery = z
  .unknown()
  .optional()
  .transform((q, ctx) => {
    const values = filterValues(q)
    if (!Object.values(values).some(Boolean)) return undefined
    const parsed = invalidationFilterForm.safeParse(values)
    if (parsed.success) return { values, filter: parsed.data }
    for (const issue of parsed.error.issues) passIssue(ctx, issue.path.join('.') || '_', messageOf(issue))
    return z.NEVER
  })

export default async function signatures(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  /** The table page: the filters as typed, the rows they match, and the countries to choose from. */
  async function tablePage(request: FastifyRequest, slug: string, values: FormValues, query?: TableSearch) {
    const { filter, page: key } = query ?? { filter: {}, page: { dir: 'after' as const } }
    const { from, before } = dayRange(filter)
    const table = await signatureTable(
      app.db,
      slug,
      { status: filter.status, country: filter.country, maskedPrefix: filter.address, from, before },
      key,
    )
    return { table, values, filter, countries: app.present.countryOptions(request.locale) }
  }

  // A filter that cannot be read: the table unfiltered, the form as typed, each error at its field.
  const table = {
    config: {
      ...organizer.config,
      ...consoleForm('signatures/table', (request: FastifyRequest) =>
        tablePage(request, slugParam.parse(request.params).slug, searchValues(request.query)),
      ),
    },
    schema: { params: slugParam, querystring: tableQuery },
  }
  app.get('/campaigns/:slug/signatures', table, async (request, reply) => {
    const values = searchValues(request.query)
    return page(reply, 'signatures/table', await tablePage(request, request.params.slug, values, request.query))
  })

  app.get('/campaigns/:slug/signatures.csv', bySlug, async (request, reply) => {
    const { filename, stream } = await exportConfirmedCsv(app.db, actorOf(request), request.params.slug)
    return reply.type('text/csv; charset=utf-8').header('Content-Disposition', attachment(filename)).send(stream)
  })

  /** The invalidation page for what was typed, with its preview when the filter is valid. */
  async function invalidationPage(slug: string, values: FormValues, filter?: InvalidationFilter) {
    const campaign = await findCampaign(app.db, slug)
    const preview = filter ? await previewInvalidation(app.db, slug, filter) : undefined
    return { campaign, values, preview }
  }

  const preview = {
    config: {
      ...organizer.config,
      ...consoleForm('signatures/invalidate', (request: FastifyRequest) =>
        invalidationPage(slugParam.parse(request.params).slug, filterValues(request.query)),
      ),
    },
    schema: { params: slugParam, querystring: filterQuery },
  }
  app.get('/campaigns/:slug/invalidations/new', preview, async (request, reply) => {
    const { slug } = request.params
    const { values, filter } = request.query ?? { values: {} }
    return page(reply, 'signatures/invalidate', await invalidationPage(slug, values, filter))
  })

  // Refused (a bad filter, or the matching rows changed since the preview): the preview again.
  const apply = {
    config: {
      ...organizer.config,
      ...consoleForm('signatures/invalidate', (request: FastifyRequest) => {
        const values = filterValues(formValues(request))
        const filter = invalidationFilterForm.safeParse(values)
        const valid = filter.success ? (filter.data as InvalidationFilter) : undefined
        return invalidationPage(slugParam.parse(request.params).slug, values, valid)
      }),
    },
    schema: {
      params: slugParam,
      body: formBody(z.intersection(z.intersection(invalidationFilterForm, invalidationApplyForm), confirmForm)),
    },
  }
  app.post('/campaigns/:slug/invalidations', apply, async (request, reply) => {
    const { slug } = request.params
    const { expected, upTo, confirm, ...filter } = request.body
    // It asks first, showing a sample of the rows it would hit, and re-posts the form as it came.
    if (!confirmed({ confirm })) {
      const sample = await invalidationSample(app.db, slug, filter, { total: expected, upTo })
      const values = filterValues(formValues(request))
      return askFirst(reply, {
        title: request.t('console.ask.invalidateTitle'),
        criteria: values,
        lines: [
          request.t('console.ask.invalidateBody', {
            total: sample.total,
            confirmed: sample.confirmed,
            pending: sample.pending,
          }),
        ],
        action: `/admin/campaigns/${slug}/invalidations`,
        fields: { ...values, expected: String(expected), upTo },
        yes: request.t('console.ask.invalidateYes', { total: sample.total }),
        back: `/admin/campaigns/${slug}/invalidations/new?${new URLSearchParams(values).toString()}`,
        sample,
      })
    }
    await invalidate(app.db, actorOf(request), slug, filter, { total: expected, upTo })
    return reply.redirect(`/admin/campaigns/${slug}`, 303)
  })

  const restore = { ...organizer, schema: { params: slugIdParams } }
  app.post('/campaigns/:slug/invalidations/:id/restore', restore, async (request, reply) => {
    const { slug, id } = request.params
    await restoreInvalidation(app.db, actorOf(request), slug, id)
    return reply.redirect(`/admin/campaigns/${slug}`, 303)
  })
}
