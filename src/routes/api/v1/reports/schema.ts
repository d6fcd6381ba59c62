import { z } from 'zod'
import type { Locale } from '../../../../db/types.ts'
import { isCountryCode } from '../../../../i18n/countries.ts'
import { locales } from '../../../../i18n/index.ts'

const text = (max: number) => z.string().trim().min(1).max(max)
const locale = z.enum(locales as [Locale, ...Locale[]])

/** A report's summary, place and province in another language; each is optional. */
export const reportTexts = z
  .object({
    summary: text(5000).optional(),
    place: z
      .object({ name: text(200).optional(), province: text(200).optional() })
      .strict()
      .optional(),
  })
  .strict()

// Degrees, as a map or GPS gives them; stored to 0.1 degree unless `exactPoint` (reports/service).
const degrees = (max: number, key: 'error.latitude' | 'error.longitude') =>
  z.number().refine((v) => v >= -max && v <= max, { params: { key } })

export const idParam = z.object({ id: z.string().regex(/^\d{1,18}$/) })
export const translationParams = idParam.extend({ locale })

const reportFields = z.object({
  occurredOn: z.iso.date().refine((d) => new Date(`${d}T00:00:00Z`).getTime() <= Date.now() + 86_400_000, {
    params: { key: 'error.pastDate' },
  }),
  place: z.object({
    name: text(200),
    province: text(200),
    country: z
      .string()
      .trim()
      .toUpperCase()
      .refine(isCountryCode, { params: { key: 'error.countryCode' } }),
    latitude: degrees(90, 'error.latitude').optional(),
    longitude: degrees(180, 'error.longitude').optional(),
    exactPoint: z.boolean().optional(),
  }),
  peopleCount: z.number().int().min(0).max(1_000_000),
  kind: z.enum(['detention', 'forced-return', 'transfer', 'sentencing', 'release']),
  summary: text(5000),
  sourceName: text(300).optional(),
  sourceUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
  confidence: z.enum(['confirmed', 'credible', 'unverified']),
  campaign: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,79}$/)
    .optional(),
  locale: locale.optional(),
  translations: z.partialRecord(locale, reportTexts).optional(),
})

export const createReportBody = reportFields.superRefine((report, ctx) => {
  // A point needs both coordinates: one alone names a line around the globe, not a place.
  const { latitude, longitude } = report.place
  if ((latitude === undefined) !== (longitude === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['place', latitude === undefined ? 'latitude' : 'longitude'],
      params: { key: 'error.pointPair' },
    })
  }
  const own = report.locale ?? 'en'
  if (report.translations?.[own]) {
    ctx.addIssue({
      code: 'custom',
      path: ['translations', own],
      params: { key: 'error.ownLanguage', locale: own },
    })
  }
})

/**
 * A draft's changed fields, its place in part if need be; the draft with them is judged as a new
 * report is (createReportBody), so an edit can make nothing a create could not.
 */
export const patchReportBody = reportFields.extend({ place: reportFields.shape.place.partial() }).partial()

export const retractBody = z.object({ note: text(2000) })
