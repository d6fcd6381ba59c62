// What the console shows of reports and their alerts: the list, one report, one alert's progress.
import type { Db } from '../../db/index.ts'
import type { Locale } from '../../db/types.ts'
import { locales } from '../../locale.ts'
import { alertProgress, allowedControls, reportReach } from '../alerts/service.ts'
import { keyPageOf, PAGE_SIZE, type KeyRequest } from '../paging.ts'
import * as consoleReports from './console-repository.ts'
import { countSearched, pageSearched, type ReportSearch } from './repository.ts'
import { findReport } from './service.ts'
import { findUpdate } from '../updates/repository.ts'

/** Reports, drafts included, by the day they happened, newest first, each with its alert if published. */
export async function reportsPage(db: Db, filter: ReportSearch, page: KeyRequest) {
  const [total, fetched] = await Promise.all([countSearched(db, filter), pageSearched(db, filter, page, PAGE_SIZE)])
  const p = keyPageOf(fetched, page, PAGE_SIZE, (r) => ({ sort: r.sort_key, id: r.id }))
  const alerts = await consoleReports.alertsOf(
    db,
    p.rows.map((r) => r.id),
  )
  const alertOf = new Map(alerts.filter((a) => a.kind === 'report').map((a) => [a.report_id, a.id]))
  return { ...p, total, rows: p.rows.map((r) => ({ ...r, alertId: alertOf.get(r.id) ?? null })) }
}

export async function reportView(db: Db, id: string) {
  const [report, alerts] = await Promise.all([findReport(db, id), consoleReports.alertsOf(db, [id])])
  return { report, alerts, reach: report.status === 'draft' ? await reachOf(db, report) : null }
}

/**
 * What publishing a draft would do: how many subscribers its alert reaches now, in each language,
 * and which of those languages have no translation of it (they read it as written).
 */
async function reachOf(db: Db, report: { id: string; locale: string; translations: Partial<Record<Locale, unknown>> }) {
  const byLocale = await reportReach(db, report.id)
  return {
    total: Object.values(byLocale).reduce((a, b) => a + b, 0),
    byLocale: locales.map((locale) => ({ locale, count: byLocale[locale] ?? 0 })),
    untranslated: locales.filter((l) => l !== report.locale && !report.translations[l]),
  }
}

export const campaignChoices = consoleReports.campaignChoices

/** An alert's progress, its report, and which of pause / resume / cancel apply now. */
export async function alertView(db: Db, id: string) {
  const alert = await alertProgress(db, id)
  const [report, update] = await Promise.all([
    alert.report ? findReport(db, alert.report) : null,
    alert.update ? findUpdate(db, alert.update) : null,
  ])
  return { alert, report, update: update ?? null, controls: allowedControls(alert.status) }
}
