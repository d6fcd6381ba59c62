import { z } from 'zod'
import { isCountryCode } from '../../../../i18n/countries.ts'
import { locales } from '../../../../i18n/index.ts'
import {
  CAMPAIGN_LIMITS as max,
  EMBED_ORIGINS_MAX,
  embedOrigin,
  SLUG_FORMAT,
} from '../../../../modules/campaigns/limits.ts'
import { LETTER_LIMITS } from '../../../../modules/letters/limits.ts'
import { targetIds } from '../targets/schema.ts'
import { emailAddress } from '../../../schema.ts'

const text = (max: number) => z.string().trim().min(1).max(max)
const locale = z.enum(locales as [string, ...string[]])

export const slugParam = z.object({ slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/) })

export const signatureBody = z.object({
  name: text(200),
  email: emailAddress,
  country: z
    .string()
    .trim()
    .toUpperCase()
    .refine(isCountryCode, { params: { key: 'error.country' } }),
  comment: z.string().trim().max(1000).optional(),
  publicName: z.boolean().optional(),
  alerts: z.boolean().optional(),
  /** News of this campaign by email (its updates); on unless the signer says no. */
  updates: z.boolean().optional(),
  /**
   * Sign and write in one go: the platform also sends the campaign's letter (or `body`, the
   * signer's own words) to its targets, once the signature is confirmed by its one link.
   */
  letter: z
    .object({ body: z.string().optional(), city: z.string().trim().max(100).optional() })
    .strict()
    .optional(),
})

/**
 * A supporter's letter request. `body` is not bounded here beyond the request's size: a text too
 * long or full of links is answered as any request is and never sent (modules/platform-letters/service.ts).
 */
export const letterBody = z.object({
  name: text(200),
  email: signatureBody.shape.email,
  country: signatureBody.shape.country,
  city: z.string().trim().max(100).optional(),
  body: z.string().optional(),
  alerts: z.boolean().optional(),
  updates: signatureBody.shape.updates,
  /** Sign the petition too (letter form): the signature's link then confirms both. */
  sign: z.boolean().optional(),
})

const translation = z
  .object({
    title: text(max.title).optional(),
    summary: text(max.summary).optional(),
    body: text(max.body).optional(),
    target: text(max.target).optional(),
    asks: z.array(text(max.ask)).max(max.asks).optional(),
  })
  .strict()

/** One language's letter to the targets; the console's letter form is read by the same schema. */
export const letterText = z.object({ subject: text(LETTER_LIMITS.subject), body: text(LETTER_LIMITS.body) }).strict()

/**
 * The origins that may frame the campaign's embed, each `https://host[:port]`, in one spelling and
 * once each. One that is not an origin refuses the whole list, under its field's name.
 */
export const embedOrigins = z
  .array(z.string().max(300))
  .max(EMBED_ORIGINS_MAX)
  .transform((list, ctx) => {
    const origins = list.map(embedOrigin)
    if (origins.some((o) => o === undefined)) {
      ctx.addIssue({ code: 'custom', params: { key: 'error.embedOrigin' } })
      return z.NEVER
    }
    return [...new Set(origins as string[])]
  })

export const createCampaignBody = z.object({
  slug: z
    .string()
    .refine((s) => SLUG_FORMAT.test(s), { params: { key: 'error.slugFormat' } })
    .optional(),
  title: text(max.title),
  summary: text(max.summary),
  body: text(max.body),
  target: text(max.target),
  asks: z.array(text(max.ask)).min(1).max(max.asks),
  goal: z.number().int().min(1).max(max.goal),
  deadline: z.iso
    .datetime({ offset: true })
    .or(z.iso.date())
    .transform((s) => new Date(s))
    .nullable()
    .optional(),
  locale: locale.optional(),
  translations: z.partialRecord(locale, translation).optional(),
  targets: targetIds.optional(),
  letter: z.partialRecord(locale, letterText).optional(),
  embedOrigins: embedOrigins.optional(),
})

/**
 * A change to a campaign: any of its texts, translations, targets and letter; what is left out
 * stays. In `letter`, a language set to null loses its text and one left out keeps it. The slug
 * and the status have their own calls.
 */
export const patchCampaignBody = createCampaignBody
  .omit({ slug: true, letter: true })
  .partial()
  .extend({ letter: z.partialRecord(locale, letterText.nullable()).optional() })

/** GET /api/v1/campaigns/:slug/stats (contract, "Reach"). */
export const statsResponse = {
  200: z
    .object({
      signatureCount: z.number().int().min(0),
      byCountry: z
        .array(z.object({ country: z.string().describe('ISO 3166-1 alpha-2, or "other"'), count: z.number().int() }))
        .describe('Countries with fewer than 10 counted signatures are folded into "other"'),
      timeline: z
        .array(z.object({ at: z.string().describe('The hour, ISO 8601 UTC'), count: z.number().int() }))
        .describe('Counted signatures per hour of confirmation; hours without any are left out'),
    })
    .describe("A campaign's public figures, at most a minute old"),
}
