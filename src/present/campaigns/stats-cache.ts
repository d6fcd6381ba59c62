// A campaign's public figures, kept a minute by each app instance: the stats API and the chart are
// read by every visitor of a viral campaign and by partner sites, and must not cost a grouping
// query per view. A minute late is fine for figures that say how a petition grew.
import { createCache } from '../../cache.ts'
import type { Db } from '../../db/index.ts'
import type { CampaignRow } from '../../modules/campaigns/repository.ts'
import { campaignStats, type CampaignStats } from '../../modules/stats/service.ts'

export const STATS_TTL_MS = 60_000

export type StatsCache = (campaign: CampaignRow) => Promise<CampaignStats>

export function createStatsCache(db: Db): StatsCache {
  const entries = createCache<string, Promise<CampaignStats>>({ max: 1000, ttlMs: STATS_TTL_MS })
  return (campaign) => {
    let loading = entries.get(campaign.slug)
    if (!loading) {
      entries.set(campaign.slug, (loading = campaignStats(db, campaign)))
      loading.catch(() => entries.delete(campaign.slug))
    }
    return loading
  }
}
