// A target as the API takes it; the console's form is read by the same schema (admin/target-form.ts).
import { z } from 'zod'
import type { Locale } from '../../../../db/types.ts'
import { isCountryCode } from '../../../../i18n/countries.ts'
import { locales } from '../../../../i18n/index.ts'
import { TARGET_ID, TARGET_LIMITS as max } from '../../../../modules/targets/limits.ts'

const text = (max: number) => z.string().trim().min(1).max(max)
/** Optional and nullable; an empty string is none. */
const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v), schema.nullable().optional())

/** An http(s) address of a named host: shown as a link, so never javascript: or data:. */
function isWebAddress(s: string): boolean {
  if (!URL.canParse(s)) return false
  const url = new URL(s)
  return (url.protocol === 'https:' || url.protocol === 'http:') && /^[a-z0-9.-]+\.[a-z]{2,}$/i.test(url.hostname)
}

export const targetBody = z.object({
  name: text(max.name),
  title: optional(text(max.title)),
  organisation: text(max.organisation),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .refine(isCountryCode, { params: { key: 'error.countryCode' } }),
  locale: z.enum(locales as [Locale, ...Locale[]]),
  email: optional(z.string().trim().max(max.email).pipe(z.email())),
  postalAddress: optional(text(max.postalAddress)),
  // Shown as a link in the console: http(s) only, never javascript: or data:.
  website: optional(
    z
      .string()
      .trim()
      .max(max.website)
      .refine(isWebAddress, { params: { key: 'error.url' } }),
  ),
  platformOnly: z.boolean().optional(),
})

export type TargetBody = z.output<typeof targetBody>

/** `targets: [id]` on a campaign: the ids of targets, in the campaign's order. */
export const targetIds = z
  .array(z.string().max(18))
  .refine((ids) => ids.length <= max.perCampaign, { params: { key: 'error.tooMany', max: max.perCampaign } })
  .refine((ids) => ids.every((id) => TARGET_ID.test(id)), { params: { key: 'error.target.unknown' } })
