// One way to page every console list: a page number in the query, a fixed page size.
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
