// SQL the console needs beyond what the API and the tracker use: counting every report for
// paging, finding each report's alerts, and the campaigns a report can be filed under.
import type { Db } from '../../db/index.ts'

/** The alerts of these reports: at most one of each kind per report (a unique constraint). */
export function alertsOf(db: Db, reportIds: string[]) {
  if (reportIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('alerts')
    .select(['id', 'report_id', 'kind', 'status', 'created_at'])
    .where('report_id', 'in', reportIds)
    .orderBy('id')
    .execute()
}

export type ReportAlertRow = Awaited<ReturnType<typeof alertsOf>>[number]

/**
 * Campaigns to choose from, newest first. Capped: a select of thousands helps nobody, and
 * a report is filed under a recent campaign; older ones remain reachable through the API.
 */
export function campaignChoices(db: Db, limit = 200) {
  return db
    .selectFrom('campaigns')
    .select(['slug', 'title', 'status'])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}
