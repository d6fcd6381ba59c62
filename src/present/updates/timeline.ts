// A campaign's updates as its pages show them: newest first, each in the language it was written
// in (its lang attribute), with the reader's words around it.
import { langTag } from '../../i18n/index.ts'
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

export function timeline(updates: readonly Update[], options: { limit?: number; excerpt?: boolean } = {}) {
  return updates.slice(0, options.limit ?? updates.length).map((u, i) => {
    const titleOnly = options.excerpt && i > 0
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
    }
  })
}
