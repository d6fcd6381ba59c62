// An update as the API takes it; the console's form is read by the same schema (admin/updates.ts).
import { z } from 'zod'
import type { Locale } from '../../../../db/types.ts'
import { locales } from '../../../../i18n/index.ts'
import { OUTCOMES, UPDATE_KINDS, UPDATE_LIMITS as max } from '../../../../modules/updates/limits.ts'

const text = (max: number) => z.string().trim().min(1).max(max)

export const updateBody = z
  .object({
    kind: z.enum(UPDATE_KINDS),
    title: text(max.title),
    body: text(max.body),
    lang: z.enum(locales as [Locale, ...Locale[]]).optional(),
    outcome: z.enum(OUTCOMES).optional(),
    notify: z.boolean().optional(),
  })
  // How the case ended is said only by an outcome.
  .refine((u) => u.outcome === undefined || u.kind === 'outcome', {
    path: ['outcome'],
    params: { key: 'error.update.outcomeOnly' },
  })

export type UpdateBody = z.output<typeof updateBody>

/** A milestone: a threshold of signatures, and optionally the update prepared for it. */
export const milestoneBody = z
  .object({
    threshold: z.coerce.number().int().min(1).max(max.threshold),
    kind: z.enum(['update', 'good-news']).optional(),
    title: text(max.title).optional(),
    body: text(max.body).optional(),
    lang: z.enum(locales as [Locale, ...Locale[]]).optional(),
    notify: z.boolean().optional(),
  })
  .refine((m) => (m.title === undefined) === (m.body === undefined), {
    path: ['body'],
    params: { key: 'error.update.prepared' },
  })
