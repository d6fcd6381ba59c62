// The public tracker, kept for a moment by each app instance: an alert email sends many readers
// to it at once; a second of staleness is fine, a query burst per click is not.
import { createCache } from '../../cache.ts'
import type { Db } from '../../db/index.ts'
import type { Locale } from '../../locale.ts'
import { trackerData, type TrackerData } from '../../modules/reports/service.ts'

const TRACKER_TTL_MS = 1000

export interface TrackerPages {
  /** The tracker's HTML in `locale`, rendered by `render` once per (data, language). */
  page(locale: Locale, render: (data: TrackerData) => Promise<string>): Promise<string>
  /** The data the pages are rendered from, a second old at most (the map). */
  data(): Promise<TrackerData>
}

export function createTrackerPages(db: Db): TrackerPages {
  const current = createCache<'data', Promise<TrackerData>>({ max: 1, ttlMs: TRACKER_TTL_MS })
  // Keyed by this instance's data objects: the pages go with the data they were rendered from.
  const rendered = new WeakMap<TrackerData, Map<Locale, Promise<string>>>()

  function data(): Promise<TrackerData> {
    let loading = current.get('data')
    if (!loading) {
      current.set('data', (loading = trackerData(db)))
      loading.catch(() => current.delete('data'))
    }
    return loading
  }

  return {
    data,
    async page(locale, render) {
      const loaded = await data()
      let pages = rendered.get(loaded)
      if (!pages) rendered.set(loaded, (pages = new Map<Locale, Promise<string>>()))
      let html = pages.get(locale)
      if (!html) {
        pages.set(locale, (html = render(loaded)))
        const forget = pages
        html.catch(() => forget.delete(locale))
      }
      return html
    },
  }
}
