// The console's report form: flat fields from an HTML form, checked by the API's own schema
// (createReportBody) so the console and the API accept exactly the same reports. Where the API's
// message is English or too generic for a person at a form, the console says it in its own words.
import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { MessageKey } from '../../i18n/index.ts'
import type { ReportInput } from '../../modules/reports/service.ts'
import { createReportBody } from '../api/v1/reports/schema.ts'
import { fieldErrors, type FieldErrors } from '../validation.ts'
import type { FormValues, Parsed } from './forms.ts'

/** API path -> form field, where the form is flat. */
const fieldOf: Record<string, string> = { 'place.name': 'placeName', 'place.province': 'province', 'place.country': 'country' }

// An empty optional field means "none"; the API schema wants it absent, not ''.
const optional = (s: string | undefined) => (s?.trim() ? s.trim() : undefined)

function asApiInput(v: FormValues) {
  return {
    occurredOn: (v.occurredOn ?? '').trim(),
    place: { name: v.placeName ?? '', province: v.province ?? '', country: v.country ?? '' },
    peopleCount: v.peopleCount?.trim() ? Number(v.peopleCount) : undefined,
    kind: optional(v.kind),
    summary: v.summary ?? '',
    sourceName: optional(v.sourceName),
    sourceUrl: optional(v.sourceUrl),
    confidence: optional(v.confidence),
    campaign: optional(v.campaign),
  }
}

function consoleMessage(field: string, issue: z.core.$ZodIssue, typed: string): MessageKey | undefined {
  // Empty optional fields never reach the schema, so an empty field in error is a required one.
  if (!typed) return field === 'country' ? 'console.report.countryPick' : 'error.required'
  switch (field) {
    case 'occurredOn':
      return issue.code === 'custom' ? 'console.report.dateFuture' : 'console.campaign.deadlineFormat'
    case 'peopleCount':
      return 'console.report.peopleRange'
    case 'sourceUrl':
      return issue.code === 'too_big' ? undefined : 'console.report.urlFormat'
    case 'country':
      return 'console.report.countryPick'
    case 'campaign':
      return 'console.report.unknownCampaign'
    default:
      return undefined
  }
}

export function parseReportForm(request: FastifyRequest, values: FormValues): Parsed<ReportInput> {
  const result = createReportBody.safeParse(asApiInput(values))
  if (result.success) return { ok: true, data: result.data }
  const errors: FieldErrors = {}
  for (const issue of result.error.issues) {
    const path = issue.path.join('.')
    const field = fieldOf[path] ?? path
    if (errors[field]) continue
    const key = consoleMessage(field, issue, (values[field] ?? '').trim())
    errors[field] = key ? request.t(key) : fieldErrors(new z.ZodError([issue]), request.t)[path]!
  }
  return { ok: false, errors }
}
