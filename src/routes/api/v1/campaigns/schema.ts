import { z } from 'zod'
import { isCountryCode } from '../../../../i18n/countries.ts'
import { locales } from '../../../../i18n/index.ts'

const text = (max: number) => z.string().trim().min(1).max(max)
const locale = z.enum(locales as [string, ...string[]])

export const slugParam = z.object({ slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/) })

export const signatureBody = z.object({
  name: text(200),
  email: z.string().trim().max(254).pipe(z.email()),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .refine(isCountryCode, { params: { key: 'error.country' } }),
  comment: z.string().trim().max(1000).optional(),
  publicName: z.boolean().optional(),
  alerts: z.boolean().optional(),
})

const translation = z
  .object({
    title: text(200).optional(),
    summary: text(500).optional(),
    body: text(50_000).optional(),
    target: text(200).optional(),
    asks: z.array(text(500)).max(20).optional(),
  })
  .strict()

export const createCampaignBody = z.object({
  slug: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{2,79}$/, 'lowercase letters, digits and hyphens, 3 to 80')
    .optional(),
  title: text(200),
  summary: text(500),
  body: text(50_000),
  target: text(200),
  asks: z.array(text(500)).min(1).max(20),
  goal: z.number().int().min(1).max(100_000_000),
  deadline: z.iso
    .datetime({ offset: true })
    .or(z.iso.date())
    .transform((s) => new Date(s))
    .refine((d) => d.getTime() > Date.now(), 'must be in the future')
    .nullable()
    .optional(),
  locale: locale.optional(),
  translations: z.partialRecord(locale, translation).optional(),
})
