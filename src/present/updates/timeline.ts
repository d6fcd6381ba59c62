// A campaign's updates as its pages show them: newest first, each in the language it was written
// in (its lang attribute), with the reader's words around it.
import { langTag } from '../../i18n/index.ts'
import type { sentDeliveries } from '../../modules/petition-delivery/service.ts'
import type { updatesOf } from '../../modules/updates/service.ts'
import { paragraphs } from './mail.ts'

/** Updates the campaign page shows; the rest, and the full texts, are on its updates page. */
export const ON_PAGE = 3
/**
 * On the campaign page (read the most, kept under 10 KB) the newest update's text is cut to this
 * many characters and the older ones show their title only.
 */
const EXCERPT = 120

type Update = Pick<
  Awaited<ReturnType<typeof updatesOf>>[number],
  'id' | 'kind' | 'outcome' | 'title' | 'lang' | 'created_at' | 'body'
>

/** A petition delivered to a target, as the timeline shows it: the target's name and the count, never an address. */
export type Delivered = Awaited<ReturnType<typeof sentDeliveries>>[number]

type Entry = { update: Update; at: Date } | { delivered: Delivered; at: Date }

/** Updates and deliveries of the petition together, newest first. */
function merged(updates: readonly Update[], delivered: readonly Delivered[]): Entry[] {
  const entries: Entry[] = [
    ...updates.map((u) => ({ update: u, at: u.created_at })),
    ...delivered.map((d) => ({ delivered: d, at: d.sent_at ?? new Date(0) })),
  ]
  return entries.sort((a, b) => b.at.getTime() - a.at.getTime())
}

export function timeline(
  updates: readonly Update[],
  options: { limit?: number; excerpt?: boolean } = {},
  delivered: readonly Delivered[] = [],
) {
  const entries = merged(updates, delivered)
  return entries.slice(0, options.limit ?? entries.length).map((e, i) => {
    const titleOnly = options.excerpt && i > 0
    if ('delivered' in e) {
      const d = e.delivered
      return {
        id: `delivery-${d.id}`,
        kind: 'delivery' as const,
        delivered: { count: d.signature_count ?? 0, name: d.target_name, organisation: d.target_organisation },
        at: e.at,
        titleOnly: !!titleOnly,
        cut: false,
      }
    }
    const u = e.update
    const cut = titleOnly || (options.excerpt && u.body.length > EXCERPT)
    const body = titleOnly ? '' : cut ? `${u.body.slice(0, EXCERPT).trimEnd()}…` : u.body
    return {
      id: u.id,
      kind: u.kind,
      outcome: u.outcome,
      title: u.title,
      lang: langTag(u.lang),
      at: u.created_at,
      paragraphs: paragraphs(body),
      cut,
      titleOnly: !!titleOnly,
      delivered: undefined,
    }
  })
}
