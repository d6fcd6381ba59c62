// The console's forms: every field arrives as a string (or not at all) from an HTML form.
import { z } from 'zod'
import { isCountryCode } from '../../i18n/countries.ts'
import { locales } from '../../i18n/index.ts'

const text = (max: number) => z.string().trim().min(1).max(max)
const optionalText = (max: number) => z.string().trim().max(max).optional().default('')
export const localeField = z.enum(locales as [string, ...string[]])

/** One ask per line; blank lines are ignored. */
const lines = (maxLine: number) =>
  z
    .string()
    .optional()
    .default('')
    .transform((s) => s.split(/\r?\n/).map((l) => l.trim()).filter(Boolean))
    .pipe(z.array(z.string().max(maxLine)).max(20))

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
  title: text(200),
  summary: text(500),
  body: text(50_000),
  target: text(200),
  asks: lines(500).refine((a) => a.length > 0, { params: { key: 'error.required' } }),
  goal: z.coerce
    .number()
    .refine((n) => Number.isInteger(n) && n >= 1 && n <= 100_000_000, { params: { key: 'console.campaign.goalRange' } }),
  deadline,
  locale: localeField,
})

export const newCampaignForm = campaignForm.extend({
  slug: z
    .string()
    .trim()
    .optional()
    .transform((s) => s || undefined)
    .pipe(z.string().refine((s) => /^[a-z0-9][a-z0-9-]{2,79}$/.test(s), { params: { key: 'console.campaign.slugFormat' } }).optional()),
})

export const translationForm = z.object({
  title: optionalText(200),
  summary: optionalText(500),
  body: optionalText(50_000),
  target: optionalText(200),
  asks: lines(500),
})

export const loginForm = z.object({
  email: z.string().trim().max(254).default(''),
  password: z.string().max(1024).default(''),
  next: z.string().max(500).optional(),
})

export const newPasswordForm = z.object({
  password: z.string().max(1024).default(''),
  confirmation: z.string().max(1024).default(''),
})

export const changePasswordForm = newPasswordForm.extend({ current: z.string().max(1024).default('') })

export const inviteForm = z.object({
  email: z.string().trim().max(254).pipe(z.email()),
  name: text(200),
  role: z.enum(['admin', 'organizer']),
})

export const tableQuery = z.object({
  status: z.enum(['pending', 'confirmed', 'invalidated']).optional().catch(undefined),
  country: z.string().trim().toUpperCase().refine(isCountryCode).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1_000_000).optional().catch(1),
})

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).optional().catch(1),
  action: z.string().regex(/^[a-z_.]{1,60}$/).optional().catch(undefined),
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
      .pipe(z.string().refine((s) => /^\d{1,18}$/.test(s), { params: { key: 'error.invalid' } }).optional()),
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
export const slugParam = z.object({ slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/) })
