// What a public campaign page shows, cached for a moment per process: a viral campaign's page
// is read thousands of times a second and must not cost a query each time. The count it shows
// is at most PAGE_TTL_MS older than the flushed count, which keeps it within 2 s of a confirmation.
import type { Db } from '../../db/index.ts'
import { notFound } from '../../errors.ts'
import * as signatures from '../signatures/repository.ts'
import * as campaigns from './repository.ts'

export const PAGE_TTL_MS = 500

export type PageData = {
  campaign: campaigns.CampaignRow
  signers: Awaited<ReturnType<typeof signatures.recentPublic>>
}

/** `loaded` is `data` once it has arrived, for the answer that needs no promise. */
type Entry = { at: number; data: Promise<PageData>; loaded?: PageData }

const cache = new Map<string, Entry>()

/** The page data if this process loaded it within PAGE_TTL_MS and it has arrived, else undefined. */
export function freshCampaignPageData(slug: string): PageData | undefined {
  const hit = cache.get(slug)
  return hit && Date.now() - hit.at < PAGE_TTL_MS ? hit.loaded : undefined
}

export function campaignPageData(db: Db, slug: string): Promise<PageData> {
  const hit = cache.get(slug)
  if (hit && Date.now() - hit.at < PAGE_TTL_MS) return hit.data
  const data = load(db, slug)
  if (cache.size > 1000) cache.clear()
  const entry: Entry = { at: Date.now(), data }
  cache.set(slug, entry)
  data.then(
    (loaded) => (entry.loaded = loaded),
    () => cache.delete(slug),
  )
  return data
}

async function load(db: Db, slug: string): Promise<PageData> {
  const campaign = await campaigns.findBySlug(db, slug)
  if (!campaign || campaign.status === 'draft') throw notFound()
  const signers = await signatures.recentPublic(db, campaign.id, 10)
  return { campaign, signers }
}

/** Called where a campaign changes state, so this process shows it at once. */
export function forgetCampaignPage(slug: string) {
  cache.delete(slug)
}
