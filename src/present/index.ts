// The presentation state of one app instance: its page caches, rendered campaign bodies and
// country lists.
// buildApp makes one and decorates the app with it; nothing here is shared between instances.
import type { Db } from '../db/index.ts'
import { createCampaignLocaliser, type CampaignLocaliser } from './campaigns/localise.ts'
import { createCampaignPages, type CampaignPages } from './campaigns/page-cache.ts'
import { createStatsCache, type StatsCache } from './campaigns/stats-cache.ts'
import { createCountryOptions, type CountryOptions } from './countries.ts'
import { createTrackerMap, type TrackerMap } from './reports/map-cache.ts'
import { createReportPages, type ReportPages } from './reports/report-cache.ts'
import { createTrackerPages, type TrackerPages } from './reports/tracker-cache.ts'
import { createShareCards, type ShareCards } from './share/render.ts'

export interface Present {
  campaigns: CampaignLocaliser
  campaignPages: CampaignPages
  /** A campaign's public figures (stats API, chart), a minute old at most. */
  campaignStats: StatsCache
  trackerPages: TrackerPages
  /** The tracker's map (SVG), drawn once per version of its marks and language. */
  trackerMap: TrackerMap
  /** Each published report's page, a second old at most. */
  reportPages: ReportPages
  countryOptions: CountryOptions
  /** Share cards (og:image), drawn once per distinct text. */
  shareCards: ShareCards
}

/** `onError` hears of work done in the background (a stats refresh) that failed. */
export function createPresent(db: Db, onError: (err: unknown) => void = () => {}): Present {
  const campaignStats = createStatsCache(db, onError)
  return {
    campaigns: createCampaignLocaliser(),
    campaignPages: createCampaignPages(db, campaignStats),
    campaignStats,
    trackerPages: createTrackerPages(db),
    trackerMap: createTrackerMap(),
    reportPages: createReportPages(db),
    countryOptions: createCountryOptions(),
    shareCards: createShareCards(),
  }
}
