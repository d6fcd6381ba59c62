// What a public campaign page shows, and its blank page rendered and compressed, kept for a moment
// by each app instance: a viral campaign's page is read thousands of times a second and must not
// cost a query each time. The count it shows is at most PAGE_TTL_MS older than the flushed count,
// which keeps it within 2 s of a confirmation.
import { createCache } from '../../cache.ts'
import { encodeAll, type Encoded } from '../../compression.ts'
import type { Db } from '../../db/index.ts'
import type * as campaigns from '../../modules/campaigns/repository.ts'
import { findPublicCampaign } from '../../modules/campaigns/service.ts'
import { letterCountsOf, type LetterCounts } from '../../modules/letters/counts.ts'
import { letterOf, type Letter } from '../../modules/letters/templates.ts'
import * as signatures from '../../modules/signatures/repository.ts'
import {
  publicTargets,
  publishableContacts,
  type PublicTarget,
  type TargetContact,
} from '../../modules/targets/service.ts'
import { updatesOf } from '../../modules/updates/service.ts'
import { sentDeliveries } from '../../modules/petition-delivery/service.ts'
import type { CampaignStats } from '../../modules/stats/service.ts'
import type { StatsCache } from './stats-cache.ts'

// A campaign the ticker closes shows as closed within this time: the worker does not reach an
// app instance's cache.
const PAGE_TTL_MS = 500
// The page's form carries its render time, signed (src/modules/form-guard). One time is given to
// every rendering of a page for this long, so that a page re-rendered with unchanged data comes out
// the same and its compressed bytes are reused: a form's time is then at most STAMP_REUSE_MS +
// PAGE_TTL_MS older than the page's delivery, which a bot gains of FORM_MIN_SECONDS at most.
const STAMP_REUSE_MS = 1000
// While a page is re-rendered (a new stamp, a new count), readers get the bytes it replaces if
// their form's time is this recent: the new page is then compressed at Brotli's best before it is
// sent, and nobody waits for it. A form's time is so at most REPLACED_MS older than its delivery,
// as above. A page rendered before forget() never stands in.
const REPLACED_MS = STAMP_REUSE_MS + PAGE_TTL_MS

export type PageData = {
  campaign: campaigns.CampaignRow
  signers: Awaited<ReturnType<typeof signatures.recentPublic>>
  /** Who the campaign asks: the public side only, never an email. */
  targets: PublicTarget[]
  /** Its updates, newest first; the page shows the first ON_PAGE of them, the updates page all. */
  updates: Awaited<ReturnType<typeof updatesOf>>
  /** The petition delivered to targets, newest first: on the timeline beside the updates. */
  delivered: Awaited<ReturnType<typeof sentDeliveries>>
  /** The letter to the targets, per language; a change to it or to the targets is forgotten by forget(). */
  letter: Letter
  /**
   * The published email and postal address of each target that is not platform-only, by id: only
   * for the letter page's mailto links and addresses, never for the campaign page or JSON.
   */
  contacts: Map<string, TargetContact>
  letterCounts: LetterCounts
  /** Its public figures as this instance has them (stats-cache.ts), or none while they first load. */
  stats: CampaignStats | undefined
}

/** The page last encoded for a slug and variant: its form's time, and forget()'s count at its start. */
type LastPage = { html: string; encoded: Encoded; renderedAt: number; generation: number }

/** `loaded` is `data` once it has arrived, for the answer that needs no promise. */
type Entry = { data: Promise<PageData>; loaded?: PageData }

export interface CampaignPages {
  /** The page data, loaded at most PAGE_TTL_MS ago by this instance; a draft is not found. */
  data(slug: string): Promise<PageData>
  /** The blank page of `slug` in variant `key` if it is rendered and fresh, else undefined: no promise. */
  ready(slug: string, key: string): Encoded | undefined
  /**
   * The blank page of `slug` in variant `key`, rendered by `render` once per page data; `renderedAt`
   * is the time its form says it was rendered, the same for STAMP_REUSE_MS.
   */
  blank(slug: string, key: string, render: (data: PageData, renderedAt: number) => Promise<string>): Promise<Encoded>
  /** Called where a campaign changes, so this instance shows it at once. */
  forget(slug: string): void
}

export function createCampaignPages(db: Db, stats: StatsCache): CampaignPages {
  const entries = createCache<string, Entry>({ max: 1000, ttlMs: PAGE_TTL_MS })
  // Keyed by this instance's page data objects: a page goes with the data it was rendered from.
  const rendered = new WeakMap<PageData, Map<string, Encoded | Promise<Encoded>>>()
  // The page data is reloaded every PAGE_TTL_MS, but the page mostly comes out the same: the
  // last bytes of each page are reused rather than compressed again.
  const lastEncoded = createCache<string, LastPage>({ max: 3000 })
  // forget() counts; each page remembers the count when its rendering began, and one begun before
  // its campaign's last forget() never stands in for another.
  let generation = 0
  const forgotten = createCache<string, number>({ max: 1000, ttlMs: REPLACED_MS })
  const renderTimes = createCache<string, number>({ max: 3000, ttlMs: STAMP_REUSE_MS })

  function renderTime(pageKey: string): number {
    let at = renderTimes.get(pageKey)
    if (at === undefined) renderTimes.set(pageKey, (at = Date.now()))
    return at
  }

  function data(slug: string): Promise<PageData> {
    const hit = entries.get(slug)
    if (hit) return hit.data
    const entry: Entry = { data: load(db, stats, slug) }
    entries.set(slug, entry)
    entry.data.then(
      (loaded) => (entry.loaded = loaded),
      () => entries.delete(slug),
    )
    return entry.data
  }

  /** The page last sent for `pageKey` if it is young enough to stand in for its successor. */
  function replaced(slug: string, pageKey: string): Encoded | undefined {
    const last = lastEncoded.get(pageKey)
    if (!last || Date.now() - last.renderedAt >= REPLACED_MS) return undefined
    return last.generation < (forgotten.get(slug) ?? 0) ? undefined : last.encoded
  }

  async function encodeOnce(pageKey: string, html: string, page: Omit<LastPage, 'html' | 'encoded'>, best: boolean) {
    const last = lastEncoded.get(pageKey)
    if (last?.html === html) return last.encoded
    const encoded = await encodeAll(html, { best })
    lastEncoded.set(pageKey, { html, encoded, ...page })
    return encoded
  }

  return {
    data,
    ready(slug, key) {
      const loaded = entries.get(slug)?.loaded
      const page = loaded && rendered.get(loaded)?.get(key)
      if (page instanceof Promise) return replaced(slug, `${slug} ${key}`)
      return page
    },
    async blank(slug, key, render) {
      const loaded = await data(slug)
      let pages = rendered.get(loaded)
      if (!pages) rendered.set(loaded, (pages = new Map<string, Encoded | Promise<Encoded>>()))
      const pageKey = `${slug} ${key}`
      let page = pages.get(key)
      if (!page) {
        const forget = pages
        const standIn = replaced(slug, pageKey)
        const started = { renderedAt: renderTime(pageKey), generation }
        // Only a page's first rendering is sent with the quick bytes: after it, readers get the
        // page it replaces, or wait the milliseconds of the best compression (once a second).
        const best = lastEncoded.get(pageKey) !== undefined
        const rendering = render(loaded, started.renderedAt).then((html) => encodeOnce(pageKey, html, started, best))
        rendering.then(
          (encoded) => forget.set(key, encoded),
          () => forget.delete(key),
        )
        pages.set(key, (page = rendering))
        if (standIn) return standIn
      }
      return page instanceof Promise ? (replaced(slug, pageKey) ?? page) : page
    },
    forget(slug) {
      entries.delete(slug)
      forgotten.set(slug, ++generation)
    },
  }
}

async function load(db: Db, stats: StatsCache, slug: string): Promise<PageData> {
  const campaign = await findPublicCampaign(db, slug)
  const [signers, targets, updates, letter, contacts, letterCounts, delivered] = await Promise.all([
    signatures.recentPublic(db, campaign.id, 10),
    publicTargets(db, [campaign.id]),
    updatesOf(db, campaign.id),
    letterOf(db, campaign.id),
    publishableContacts(db, campaign.id),
    letterCountsOf(db, campaign.id),
    sentDeliveries(db, campaign.id),
  ])
  return {
    campaign,
    signers,
    targets: targets.get(campaign.id) ?? [],
    updates,
    delivered,
    letter,
    contacts,
    letterCounts,
    stats: stats.peek(campaign),
  }
}
