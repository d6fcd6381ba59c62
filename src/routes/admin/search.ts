// The query of a console list that is searched and paged by key: its filters, each refused with
// a message at its field (400, the list's form again) rather than ignored or a 500, and the page
// key of a "newer" or "older" link.
import { z } from 'zod'
import { decodeKey, type KeyRequest, type SortKind } from '../../modules/paging.ts'

/** A day (YYYY-MM-DD, a real one), read as the start of that day in UTC. */
export const day = z
  .string()
  .trim()
  .max(20)
  .optional()
  .transform((s, ctx) => {
    if (!s) return undefined
    const d = new Date(`${s}T00:00:00Z`)
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s) {
      ctx.addIssue({ code: 'custom', params: { key: 'console.search.badDate' } })
      return z.NEVER
    }
    return s
  })

/** Words to look for: empty is no filter. */
export const text = z
  .string()
  .trim()
  .max(100)
  .optional()
  .transform((s) => s || undefined)

/** The fields every keyed list's query has: the day range and the page keys. */
const paging = { from: day, to: day, after: z.string().max(300).optional(), before: z.string().max(300).optional() }

/**
 * A list's query: `filters` plus a day range and the page key, read into `{ filter, page }`. A day
 * range the wrong way round, or a page key that is not one of ours, is refused.
 */
export function keyedQuery<S extends z.ZodRawShape>(kind: SortKind, filters: S) {
  return z
    .object({ ...filters, ...paging })
    .superRefine((q, ctx) => {
      const { from, to } = q as { from?: string; to?: string }
      if (from && to && to < from)
        ctx.addIssue({ code: 'custom', path: ['to'], params: { key: 'console.search.dateOrder' } })
      for (const name of ['after', 'before'] as const) {
        const value = (q as { after?: string; before?: string })[name]
        if (value && !decodeKey(value, kind))
          ctx.addIssue({ code: 'custom', path: [], params: { key: 'console.search.badKey' } })
      }
    })
    .transform((q) => {
      const { after, before, ...filter } = q as typeof q & { after?: string; before?: string }
      const page: KeyRequest = before
        ? { dir: 'before', key: decodeKey(before, kind) }
        : { dir: 'after', key: after ? decodeKey(after, kind) : undefined }
      return { filter, page }
    })
}

/** The day range as the repositories take it: from the start of `from` to the end of `to`, UTC. */
export function dayRange(filter: { from?: string | undefined; to?: string | undefined }) {
  return {
    from: filter.from ? new Date(`${filter.from}T00:00:00Z`) : undefined,
    before: filter.to ? new Date(Date.parse(`${filter.to}T00:00:00Z`) + 86_400_000) : undefined,
  }
}

/** The search fields as typed, to show them again in the form (page keys left out). */
export function searchValues(query: unknown): Record<string, string> {
  const values: Record<string, string> = {}
  if (query && typeof query === 'object')
    for (const [name, value] of Object.entries(query))
      if (typeof value === 'string' && name !== 'after' && name !== 'before') values[name] = value.slice(0, 300)
  return values
}

/** The day after `day` (YYYY-MM-DD): an inclusive "until" as an exclusive bound on a date column. */
export function dayAfter(day: string | undefined): string | undefined {
  return day && new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
}
