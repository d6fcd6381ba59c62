// Two ways to page a console list. The short ones (organizers, tokens) by page number: a page
// number in the query, a fixed page size. The long ones by key (below).
import { sql } from 'kysely'

// (page numbers): a page number in the query, a fixed page size.
export const PAGE_SIZE = 25

export interface Page {
  page: number
  pages: number
  total: number
  size: number
  offset: number
}

export type Paged<T> = Page & { rows: T[] }

/** Clamps a requested page to what exists, so a stale link shows the last page, not an error. */
export function pageOf(requested: number, total: number, size = PAGE_SIZE): Page {
  const pages = Math.max(1, Math.ceil(total / size))
  const page = Math.min(Math.max(1, Math.trunc(requested) || 1), pages)
  return { page, pages, total, size, offset: (page - 1) * size }
}

// Paging by key: a page is the rows just past a row's (sort value, id), never an offset, so a row
// written or removed meanwhile does not shift the pages, and rows that share a sort value (a
// dozen reports of one day) are still each on exactly one page: the id breaks the tie. The
// lists run newest first: "after" a key is further down (older), "before" is back up.

/** A row's place in a list: its sort value as Postgres prints it (full precision), and its id. */
export interface PageKey {
  sort: string
  id: string
}

export type KeyDirection = 'after' | 'before'

/** Which page: the first (no key), or the one after or before a row's key. */
export interface KeyRequest {
  dir: KeyDirection
  key?: PageKey | undefined
}

export type KeyPaged<T> = {
  rows: T[]
  size: number
  /** The keys to put in the links to the next and the previous page; none at either end. */
  next?: string | undefined
  prev?: string | undefined
}

/** The key as it goes in a link: opaque, URL-safe. */
export function encodeKey(key: PageKey): string {
  return Buffer.from(JSON.stringify([key.sort, key.id])).toString('base64url')
}

/** What a list sorts by: a point in time (timestamptz) or a day (date). */
export type SortKind = 'timestamptz' | 'date'

const SORT_FORMS: Record<SortKind, RegExp> = {
  timestamptz: /^(\d{4}-\d{2}-\d{2}) \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/,
  date: /^(\d{4}-\d{2}-\d{2})$/,
}

// A sort value Postgres could not cast would be a 500: only real dates in Postgres' own form pass.
function validSort(kind: SortKind, sort: string): boolean {
  const day = SORT_FORMS[kind].exec(sort)?.[1]
  const parsed = day && new Date(`${day}T00:00:00Z`)
  return Boolean(parsed && !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === day)
}

/** A key read back from a link, or undefined when it is not one of ours (the caller answers 400). */
export function decodeKey(text: string, kind: SortKind): PageKey | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return undefined
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
    if (!Array.isArray(value) || value.length !== 2) return undefined
    const [sort, id] = value as unknown[]
    if (typeof sort !== 'string' || !validSort(kind, sort)) return undefined
    if (typeof id !== 'string' || !/^\d{1,18}$/.test(id)) return undefined
    return { sort, id }
  } catch {
    return undefined
  }
}

/**
 * A repository's part of a keyed page over (sort column, id column): the condition past the key,
 * the order of travel, and the sort value as Postgres prints it, to select as `sort_key`.
 */
export function keyed(sortColumn: string, idColumn: string, kind: SortKind, request: KeyRequest) {
  const forward = request.dir === 'after'
  const key = request.key
  const where = key
    ? sql<boolean>`(${sql.ref(sortColumn)}, ${sql.ref(idColumn)}) ${sql.raw(forward ? '<' : '>')} (cast(${key.sort} as ${sql.raw(kind)}), cast(${key.id} as bigint))`
    : sql<boolean>`true`
  return {
    where,
    order: forward ? ('desc' as const) : ('asc' as const),
    sortKey: sql<string>`${sql.ref(sortColumn)}::text`.as('sort_key'),
  }
}

/**
 * The page from rows fetched `size + 1` at most in the direction of travel (newest first after a
 * key or on the first page, oldest first before one): in display order, with the keys around it.
 */
export function keyPageOf<T>(fetched: T[], request: KeyRequest, size: number, keyOf: (row: T) => PageKey): KeyPaged<T> {
  const more = fetched.length > size
  const taken = fetched.slice(0, size)
  if (request.dir === 'before') {
    const rows = taken.reverse()
    const first = rows[0]
    const last = rows[rows.length - 1]
    return {
      rows,
      size,
      prev: more && first ? encodeKey(keyOf(first)) : undefined,
      next: last && encodeKey(keyOf(last)),
    }
  }
  const first = taken[0]
  const last = taken[taken.length - 1]
  return {
    rows: taken,
    size,
    next: more && last ? encodeKey(keyOf(last)) : undefined,
    prev: request.key && first ? encodeKey(keyOf(first)) : undefined,
  }
}
