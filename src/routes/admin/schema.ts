// The console's forms: every field arrives as a string (or not at all) from an HTML form.
import { LETTER_LIMITS } from '../../modules/letters/limits.ts'
import { z } from 'zod'
import type { Locale } from '../../db/types.ts'
import { isCountryCode } from '../../i18n/countries.ts'
import { keyedQuery, text as words } from './search.ts'
import { locales } from '../../i18n/index.ts'
import { CAMPAIGN_LIMITS as max, SLUG_FORMAT } from '../../modules/campaigns/limits.ts'
import { TOKEN_MAX_DAYS } from '../../modules/organizers/service.ts'
import { formFields } from '../../plugins/validation.ts'
import { canonicalTimeZone } from '../../time-zone.ts'
import { embedOrigins, slugParam } from '../api/v1/campaigns/schema.ts'
import { targetIds } from '../api/v1/targets/schema.ts'
import { emailAddress } from '../schema.ts'

const text = (max: number) => z.string().trim().min(1).max(max)
const optionalText = (max: number) => z.string().trim().max(max).optional().default('')
export const localeField = z.enum(locales as [Locale, ...Locale[]])

/** One ask per line; blank lines are ignored. */
const lines = (maxLine: number) =>
  z
    .string()
    .optional()
    .default('')
    .transform((s) =>
      s
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().max(maxLine)).max(max.asks))

/** A date input (YYYY-MM-DD), empty for none: the campaign closes at the start of that day, UTC. */
const deadline = z
  .string()
  .trim()
  .optional()
  .transform((s, ctx) => {
    if (!s) return null
    const d = /^\d{4}-\d{2}-\d{2}$/.test(s) ? new Date(`${s}T00:00:00Z`) : new Date(NaN)
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: 'custom', params: { key: 'console.campaign.deadlineFormat' } })
      return z.NEVER
    }
    return d
  })

export const campaignForm = z.object({
  title: text(max.title),
  summary: text(max.summary),
  body: text(max.body),
  target: text(max.target),
  asks: lines(max.ask).refine((a) => a.length > 0, { params: { key: 'error.required' } }),
  goal: z.coerce.number().refine((n) => Number.isInteger(n) && n >= 1 && n <= max.goal, {
    params: { key: 'console.campaign.goalRange' },
  }),
  deadline,
  locale: localeField,
  /** One origin per line; blank lines are ignored. */
  embedOrigins: z
    .string()
    .max(10_000)
    .optional()
    .default('')
    .transform((s) =>
      s
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean),
    )
    .pipe(embedOrigins),
})

/** The campaign form's ticked target boxes, each value once, in the form's order. */
export function tickedTargets(body: unknown): string[] {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>).targets : undefined
  const list = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string')
  return [...new Set(list)].slice(0, 100)
}

/** A campaign form's fields as formBody reads them, and its target checkboxes as a list. */
export const withTargets = <T extends z.ZodRawShape>(schema: z.ZodObject<T>) =>
  z.preprocess((body) => ({ ...formFields(body), targets: tickedTargets(body) }), schema.extend({ targets: targetIds }))

export const newCampaignForm = campaignForm.extend({
  slug: z
    .string()
    .trim()
    .optional()
    .transform((s) => s || undefined)
    .pipe(
      z
        .string()
        .refine((s) => SLUG_FORMAT.test(s), { params: { key: 'console.campaign.slugFormat' } })
        .optional(),
    ),
})

export const translationForm = z.object({
  title: optionalText(max.title),
  summary: optionalText(max.summary),
  body: optionalText(max.body),
  target: optionalText(max.target),
  asks: lines(max.ask),
})

// Whatever is wrong with a login form, the answer is the one failure message: it must not tell
// whether the address has an account. Too long a field is read as empty, which fails to log in.
export const loginForm = z.object({
  email: z.string().trim().max(254).default('').catch(''),
  password: z.string().max(1024).default('').catch(''),
  next: z.string().max(500).optional().catch(undefined),
})

export const loginQuery = z.object({
  next: z
    .unknown()
    .optional()
    .transform((v) => (typeof v === 'string' ? v.slice(0, 500) : '')),
  welcome: z
    .unknown()
    .optional()
    .transform((v) => v !== undefined),
})

/** A page's notice after a redirect, `?changed` or `?invited`: present or not. */
export const flag = z
  .unknown()
  .optional()
  .transform((v) => v !== undefined)

/** The form's "Preview" button, beside the one that saves. */
export const previewIntent = {
  intent: z
    .unknown()
    .optional()
    .transform((v) => v === 'preview'),
}

export const newPasswordForm = z.object({
  password: z.string().max(1024).default(''),
  confirmation: z.string().max(1024).default(''),
})

/** One's console settings; a zone is stored by its canonical IANA name ("asia/seoul" -> "Asia/Seoul"). */
export const settingsForm = z.object({
  locale: localeField,
  timeZone: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .transform((value, ctx) => {
      const zone = canonicalTimeZone(value)
      if (zone) return zone
      ctx.addIssue({ code: 'custom', params: { key: 'console.settings.badZone' } })
      return z.NEVER
    }),
})

/** The header's language buttons: the account's language, then back to the page it was on. */
export const languageForm = z.object({ locale: localeField, next: z.string().max(2000).optional() })

export const changePasswordForm = newPasswordForm.extend({ current: z.string().max(1024).default('') })

/** A new API token: its scope, and its life in days (empty: until revoked). */
export const tokenForm = z.object({
  scope: z.enum(['read', 'write']).default('write'),
  expires: z
    .string()
    .trim()
    .max(10)
    .optional()
    .transform((s, ctx) => {
      if (!s) return undefined
      const days = /^\d{1,4}$/.test(s) ? Number(s) : NaN
      if (!(days >= 1 && days <= TOKEN_MAX_DAYS)) {
        ctx.addIssue({ code: 'custom', params: { key: 'error.token.expires', max: TOKEN_MAX_DAYS } })
        return z.NEVER
      }
      return days
    }),
})

export const inviteForm = z.object({
  email: emailAddress,
  name: text(200),
  role: z.enum(['admin', 'organizer']),
})

/** A select's value: its "all" option (empty) is no filter. */
export const choice = <const T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .optional()
    .transform((s) => s || undefined)
    .pipe(z.enum(values).optional())

/** A signatures table's search: status, country, the masked address's start, days signed. */
export const tableQuery = keyedQuery('timestamptz', {
  status: choice(['pending', 'confirmed', 'invalidated']),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .optional()
    .transform((s) => s || undefined)
    .pipe(z.string().refine(isCountryCode).optional()),
  address: z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((s) => s || undefined)
    .pipe(
      z
        .string()
        .refine((s) => /^[a-z0-9._+*@-]{1,100}$/.test(s), { params: { key: 'console.search.badAddress' } })
        .optional(),
    ),
})

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).optional().catch(1),
  action: z
    .string()
    .regex(/^[a-z_.]{1,60}$/)
    .optional()
    .catch(undefined),
})

/** datetime-local (no zone) read as UTC, as the console shows every time in UTC. */
const instant = z
  .string()
  .trim()
  .optional()
  .transform((s, ctx) => {
    if (!s) return undefined
    const d = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(s) ? s : `${s}Z`)
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s) || Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: 'custom', params: { key: 'console.invalidate.timeFormat' } })
      return z.NEVER
    }
    return d
  })

export const invalidationFilterForm = z
  .object({
    sameIpAs: z
      .string()
      .trim()
      .optional()
      .transform((s) => s || undefined)
      .pipe(
        z
          .string()
          .refine((s) => /^\d{1,18}$/.test(s), { params: { key: 'error.invalid' } })
          .optional(),
      ),
    emailDomain: z
      .string()
      .trim()
      .toLowerCase()
      .optional()
      .transform((s) => s?.replace(/^@/, '') || undefined)
      .pipe(
        z
          .string()
          .max(253)
          .refine((s) => /^[a-z0-9.-]+\.[a-z0-9-]+$/.test(s), { params: { key: 'console.invalidate.domainFormat' } })
          .optional(),
      ),
    from: instant,
    to: instant,
  })
  .superRefine((f, ctx) => {
    if (!f.sameIpAs && !f.emailDomain && !f.from && !f.to) {
      ctx.addIssue({ code: 'custom', path: ['_'], params: { key: 'console.invalidate.needFilter' } })
    }
    if (f.from && f.to && f.from >= f.to) {
      ctx.addIssue({ code: 'custom', path: ['to'], params: { key: 'console.invalidate.timeOrder' } })
    }
  })

export const invalidationApplyForm = z.object({
  expected: z.coerce.number().int().min(0),
  upTo: z.string().regex(/^\d{1,18}$/),
})

export const idParam = z.object({ id: z.string().regex(/^\d{1,18}$/) })
export { slugParam }
export const slugLocaleParams = slugParam.extend({ locale: localeField })
export const idLocaleParams = idParam.extend({ locale: localeField })
export const slugIdParams = slugParam.extend(idParam.shape)

/**
 * One language's letter to the targets: both fields, or neither (which removes that language).
 * A field missing beside a filled one is refused on that field.
 */
export const letterForm = z
  .object({
    subject: optionalText(LETTER_LIMITS.subject),
    body: optionalText(LETTER_LIMITS.body),
  })
  .superRefine((l, ctx) => {
    if (!l.subject === !l.body) return
    const field = l.subject ? 'body' : 'subject'
    ctx.addIssue({ code: 'custom', path: [field], params: { key: 'error.required' } })
  })

/** The audit log's search: one action, days. */
export const auditQuery = keyedQuery('timestamptz', {
  action: z
    .string()
    .optional()
    .transform((s) => s || undefined)
    .pipe(
      z
        .string()
        .regex(/^[a-z_.]{1,60}$/)
        .optional(),
    ),
})

/** The reports list's search: status, kind, words, days the events happened. */
export const reportsQuery = keyedQuery('date', {
  status: choice(['draft', 'published', 'retracted']),
  kind: choice(['detention', 'forced-return', 'transfer', 'sentencing', 'release']),
  q: words,
  deleted: z.unknown().optional(),
})

/** The campaigns list's search: status, words of the title, days created. */
export const campaignsQuery = keyedQuery('timestamptz', {
  status: choice(['draft', 'live', 'closed']),
  q: words,
})
