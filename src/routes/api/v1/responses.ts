// What the API answers, as zod schemas: Fastify serialises each answer by its route's schema (a
// field not named here is not sent), TypeScript checks the handlers' return values against them,
// and the OpenAPI document shows them (src/plugins/openapi.ts).
import { z } from 'zod'

const isoTime = z.string().describe('ISO 8601, UTC')
const id = z.string().regex(/^\d+$/)
const count = z.number().int().min(0)
const localeKey = z.enum(['en', 'ko', 'zh'])

const letterText = z.object({ subject: z.string(), body: z.string() })

/** A target as organizers get it, email and postal address included. */
export const target = z
  .object({
    id,
    name: z.string(),
    title: z.string().nullable(),
    organisation: z.string(),
    country: z.string(),
    locale: z.string(),
    email: z.string().nullable(),
    postalAddress: z.string().nullable(),
    website: z.string().nullable(),
    platformOnly: z.boolean(),
  })
  .describe('A person or body that decides')

/** A campaign as anyone may read it: its targets' public side only, never an address. */
export const campaign = z
  .object({
    slug: z.string(),
    title: z.string(),
    summary: z.string(),
    target: z.string(),
    asks: z.array(z.string()),
    goal: z.number().int(),
    deadline: isoTime.nullable(),
    status: z.string().describe('draft, live or closed'),
    signatureCount: count,
    locale: z.string(),
    // The public side of each target, never its email or postal address.
    targets: z.array(
      target.pick({ id: true, name: true, title: true, organisation: true, country: true, locale: true }),
    ),
    letter: z.partialRecord(localeKey, letterText).optional().describe('The letter to the targets, per language'),
    embedOrigins: z.array(z.string()).optional().describe('Origins that may frame the embeddable form'),
  })
  .describe('A campaign')

export const update = z
  .object({
    id,
    kind: z.string().describe('update, good-news or outcome'),
    title: z.string(),
    body: z.string(),
    lang: z.string(),
    outcome: z.string().nullable(),
    createdAt: isoTime,
  })
  .describe("An update on a campaign's timeline")

export const milestone = z
  .object({
    id,
    threshold: z.number().int(),
    reachedAt: isoTime.nullable(),
    update: z
      .object({
        kind: z.string().nullable(),
        title: z.string(),
        body: z.string().nullable(),
        lang: z.string().nullable(),
        notify: z.boolean().nullable(),
      })
      .nullable()
      .describe('The update prepared for when it is reached'),
    postedUpdate: id.nullable(),
  })
  .describe('A threshold of signatures')

export const alertProgress = z
  .object({
    id,
    report: id.nullable(),
    update: id.nullable(),
    kind: z.string(),
    status: z.string().describe('fanning-out, sending, paused, cancelled or done'),
    recipients: count,
    queued: count,
    sent: count,
    failed: count,
    suppressed: count,
    cancelled: count,
  })
  .describe("An alert's progress")

const reportTexts = z.object({
  summary: z.string().optional(),
  place: z.object({ name: z.string().optional(), province: z.string().optional() }).optional(),
})

export const report = z
  .object({
    id,
    occurredOn: z.string().describe('YYYY-MM-DD'),
    place: z.object({
      name: z.string(),
      province: z.string(),
      country: z.string(),
      latitude: z.number().nullable().describe('Rounded to 0.1 degree unless exactPoint'),
      longitude: z.number().nullable(),
      exactPoint: z.boolean(),
    }),
    peopleCount: z.number().int(),
    kind: z.string(),
    summary: z.string(),
    locale: z.string(),
    translations: z.partialRecord(localeKey, reportTexts).describe("The report's texts in other languages"),
    sourceName: z.string().nullable(),
    sourceUrl: z.string().nullable(),
    confidence: z.string(),
    campaign: z.string().nullable().describe("The related campaign's slug"),
    status: z.string().describe('draft, published or retracted'),
    publishedAt: isoTime.nullable(),
    correctionNote: z.string().nullable(),
  })
  .describe('An incident report')

const totalsRow = { province: z.string(), country: z.string(), people: count, reports: count }
const groupTranslations = z.partialRecord(localeKey, reportTexts)
export const reportTotals = z
  .object({
    byPlace: z.array(z.object({ place: z.string(), ...totalsRow, translations: groupTranslations })),
    byProvince: z.array(z.object({ ...totalsRow, translations: groupTranslations })),
    byKind: z.array(z.object({ kind: z.string(), people: count, reports: count })),
  })
  .describe('People and reports per place, province and kind, over published reports')

export const reportsResponse = {
  200: z.object({ reports: z.array(report), totals: reportTotals }).describe('Published reports'),
}
export const reportResponse = { 200: report }
export const deletedResponse = { 204: z.null().describe('Deleted') }
export const reportCreatedResponse = { 201: report }
export const reportAlertResponse = {
  202: z.object({ report, alert: z.object({ id }) }).describe('Published or retracted; the alert is on its way'),
}

export const campaignResponse = { 200: campaign }
export const campaignCreatedResponse = { 201: campaign }
export const campaignsResponse = { 200: z.object({ campaigns: z.array(campaign) }).describe('The live campaigns') }
export const updatesResponse = { 200: z.object({ updates: z.array(update) }).describe('Newest first') }
export const updatePostedResponse = {
  202: z
    .object({ update, alert: z.object({ id }).nullable().describe('The alert to its supporters, with notify') })
    .describe('Posted'),
}
export const milestoneResponse = { 201: milestone }
export const targetCreatedResponse = { 201: target }
export const targetsResponse = { 200: z.object({ targets: z.array(target) }).describe('Every target') }
export const alertResponse = { 200: alertProgress }
