// The console's report forms: flat fields from an HTML form, checked by the API's own schemas
// (createReportBody, reportTexts) so the console and the API accept exactly the same reports. Where
// the API's message is English or too generic for a person at a form, the console says it in its
// own words.
import { z } from 'zod'
import type { Locale } from '../../db/types.ts'
import type { MessageKey } from '../../i18n/index.ts'
import type { ReportRow } from '../../modules/reports/repository.ts'
import { formBody, messageOf, passIssue } from '../../plugins/validation.ts'
import { createReportBody, reportTexts } from '../api/v1/reports/schema.ts'
import type { FormValues } from './forms.ts'

/** API path -> form field, where the form is flat. */
const fieldOf: Record<string, string> = {
  'place.name': 'placeName',
  'place.province': 'province',
  'place.country': 'country',
  'place.latitude': 'latitude',
  'place.longitude': 'longitude',
  'place.exactPoint': 'exactPoint',
}

// A coordinate as typed: empty is none; a decimal comma is read as a point ("43,9"); anything
// else that is not a number reaches the schema as NaN and is refused there.
const degrees = (s: string | undefined) => (s?.trim() ? Number(s.trim().replace(',', '.')) : undefined)

// An empty optional field means "none"; the API schema wants it absent, not ''.
const optional = (s: string | undefined) => (s?.trim() ? s.trim() : undefined)

function asApiInput(v: FormValues) {
  return {
    occurredOn: (v.occurredOn ?? '').trim(),
    place: {
      name: v.placeName ?? '',
      province: v.province ?? '',
      country: v.country ?? '',
      latitude: degrees(v.latitude),
      longitude: degrees(v.longitude),
      exactPoint: v.exactPoint === 'on',
    },
    peopleCount: v.peopleCount?.trim() ? Number(v.peopleCount) : undefined,
    kind: optional(v.kind),
    summary: v.summary ?? '',
    // Required: the select always sends one, so a missing language is a broken form, not English.
    locale: (v.locale ?? '').trim(),
    sourceName: optional(v.sourceName),
    sourceUrl: optional(v.sourceUrl),
    confidence: optional(v.confidence),
    campaign: optional(v.campaign),
  }
}

function consoleMessage(field: string, issue: z.core.$ZodIssue, typed: string): MessageKey | undefined {
  // A coordinate's issues name their own rule (range, both or neither); a word is out of range.
  if (field === 'latitude' || field === 'longitude') {
    return issue.code === 'custom' ? undefined : field === 'latitude' ? 'error.latitude' : 'error.longitude'
  }
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
    case 'locale':
      return 'console.report.localePick'
    default:
      return undefined
  }
}

/** The report form, read by the API's schema; its issues are named by the form's fields. */
export const reportForm = formBody(
  z
    .custom<FormValues>()
    .transform((values, ctx) => asForm(createReportBody.safeParse(asApiInput(values)), values, ctx)),
)

/** The translation form's fields from a report's stored texts in that language. */
export function translationValues(report: Pick<ReportRow, 'translations'>, locale: Locale): FormValues {
  const texts = report.translations[locale] ?? {}
  return { summary: texts.summary ?? '', placeName: texts.place?.name ?? '', province: texts.place?.province ?? '' }
}

/** A translation: an empty field is "not translated", so it is left out rather than refused. */
export const reportTranslationForm = formBody(
  z.custom<FormValues>().transform((values, ctx) =>
    asForm(
      reportTexts.safeParse({
        summary: optional(values.summary),
        place: { name: optional(values.placeName), province: optional(values.province) },
      }),
      values,
      ctx,
    ),
  ),
)

/** The parsed value, or each issue moved onto its form field with the console's wording. */
function asForm<T>(result: z.ZodSafeParseResult<T>, values: FormValues, ctx: z.RefinementCtx): T {
  if (result.success) return result.data
  const seen = new Set<string>()
  for (const issue of result.error.issues) {
    const path = issue.path.join('.')
    const field = fieldOf[path] ?? path
    if (seen.has(field)) continue
    seen.add(field)
    passIssue(ctx, field, consoleMessage(field, issue, (values[field] ?? '').trim()) ?? messageOf(issue))
  }
  return z.NEVER
}

/** A report's fields as the form shows them: what editing a draft starts from. */
export function reportFormValues(r: ReportRow): FormValues {
  return {
    locale: r.locale,
    occurredOn: r.occurred_day,
    placeName: r.place_name,
    province: r.province,
    country: r.country,
    latitude: r.latitude === null ? '' : String(r.latitude),
    longitude: r.longitude === null ? '' : String(r.longitude),
    ...(r.exact_point ? { exactPoint: 'on' } : {}),
    peopleCount: String(r.people_count),
    kind: r.kind,
    summary: r.summary,
    sourceName: r.source_name ?? '',
    sourceUrl: r.source_url ?? '',
    confidence: r.confidence,
    campaign: r.campaign_slug ?? '',
  }
}
