// A campaign's public figures, kept by each app instance and refreshed in the background: the
// stats API, the chart and the campaign page are read by every visitor of a viral campaign and by
// partner sites, and must neither cost a grouping query per view nor wait for one. A minute late
// is fine for figures that say how a petition grew; the page never waits for them.
import type { Db } from '../../db/index.ts'
import type { CampaignRow } from '../../modules/campaigns/repository.ts'
import { campaignStats, type CampaignStats } from '../../modules/stats/service.ts'

export const STATS_TTL_MS = 60_000
const MAX_CAMPAIGNS = 1000

export interface StatsCache {
  /** The figures, loading them if this instance has none yet (the stats API and the chart). */
  get(campaign: CampaignRow): Promise<CampaignStats>
  /**
   * The figures this instance has, even if older than STATS_TTL_MS (a refresh then starts), or
   * undefined while the first load runs: for the campaign page, which must not wait for them.
   */
  peek(campaign: CampaignRow): CampaignStats | undefined
}

type Entry = { stats?: CampaignStats; at: number; loading?: Promise<CampaignStats> }

export function createStatsCache(db: Db, onError: (err: unknown) => void = () => {}): StatsCache {
  const entries = new Map<string, Entry>()

  function refresh(campaign: CampaignRow, entry: Entry): Promise<CampaignStats> {
    if (entry.loading) return entry.loading
    const loading = campaignStats(db, campaign).then(
      (stats) => {
        Object.assign(entry, { stats, at: Date.now(), loading: undefined })
        return stats
      },
      (err: unknown) => {
        // Keep what there was; the next read tries again.
        entry.loading = undefined
        throw err
      },
    )
    entry.loading = loading
    return loading
  }

  function entryOf(campaign: CampaignRow): Entry {
    let entry = entries.get(campaign.slug)
    if (!entry) {
      if (entries.size >= MAX_CAMPAIGNS) entries.delete(entries.keys().next().value as string)
      entries.set(campaign.slug, (entry = { at: 0 }))
    }
    return entry
  }

  const stale = (entry: Entry) => Date.now() - entry.at >= STATS_TTL_MS

  return {
    get(campaign) {
      const entry = entryOf(campaign)
      if (entry.stats && !stale(entry)) return Promise.resolve(entry.stats)
      if (entry.stats) {
        refresh(campaign, entry).catch(onError)
        return Promise.resolve(entry.stats)
      }
      return refresh(campaign, entry)
    },
    peek(campaign) {
      const entry = entryOf(campaign)
      if (!entry.stats || stale(entry)) refresh(campaign, entry).catch(onError)
      return entry.stats
    },
  }
}
