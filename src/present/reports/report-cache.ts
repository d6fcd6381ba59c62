// Each report's page, kept for a moment by each app instance, like the tracker (tracker-cache.ts):
// an alert email sends its readers to one report's page at once, and a second of staleness costs
// nothing where a query burst per click would.
import { createCache } from '../../cache.ts'
import type { Db } from '../../db/index.ts'
import { AppError } from '../../errors.ts'
import type { Locale } from '../../locale.ts'
import type { CampaignRow } from '../../modules/campaigns/repository.ts'
import { findPublicCampaign } from '../../modules/campaigns/service.ts'
import type { ReportRow } from '../../modules/reports/repository.ts'
import { findPublicReport } from '../../modules/reports/service.ts'

const REPORT_TTL_MS = 1000

export interface ReportPageData {
  report: ReportRow
  /** The related campaign when the public may see it (not a draft). */
  campaign: CampaignRow | undefined
}

export interface ReportPages {
  /**
   * The page of report `id` in `locale`, rendered by `render` once per (data, language); rejects
   * with not_found for a draft or an unknown id, which is remembered for the same moment.
   */
  page(id: string, locale: Locale, render: (data: ReportPageData) => Promise<string>): Promise<string>
  /** The report and its campaign, a second old at most; rejects like page(). */
  data(id: string): Promise<ReportPageData>
}

async function load(db: Db, id: string): Promise<ReportPageData> {
  const report = await findPublicReport(db, id)
  const slug = report.campaign_slug
  const campaign = slug ? await findPublicCampaign(db, slug).catch(unlessNotFound) : undefined
  return { report, campaign }
}

function isNotFound(error: unknown): boolean {
  return error instanceof AppError && error.code === 'not_found'
}

function unlessNotFound(error: unknown): undefined {
  if (!isNotFound(error)) throw error
  return undefined
}

export function createReportPages(db: Db): ReportPages {
  const current = createCache<string, Promise<ReportPageData>>({ max: 1000, ttlMs: REPORT_TTL_MS })
  // Keyed by this instance's data objects: the pages go with the data they were rendered from.
  const rendered = new WeakMap<ReportPageData, Map<Locale, Promise<string>>>()

  function data(id: string): Promise<ReportPageData> {
    let loading = current.get(id)
    if (!loading) {
      current.set(id, (loading = load(db, id)))
      // A draft or unknown id is remembered like a page; a failure is tried again at once.
      loading.catch((error: unknown) => {
        if (!isNotFound(error)) current.delete(id)
      })
    }
    return loading
  }

  return {
    data,
    async page(id, locale, render) {
      const loaded = await data(id)
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
