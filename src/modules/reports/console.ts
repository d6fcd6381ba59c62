// What the console shows of reports and their alerts, and the console's wording of their rules:
// a state conflict (publishing a report twice, pausing a finished alert) becomes a message on
// the page the organizer was looking at, in their language, rather than an error page.
import type { Db } from '../../db/index.ts'
import type { Locale, ReportTexts } from '../../db/types.ts'
import { AppError } from '../../errors.ts'
import type { MessageKey } from '../../i18n/index.ts'
import { alertProgress, allowedControls, controlAlert, type AlertControl } from '../alerts/service.ts'
import type { Actor } from '../audit/service.ts'
import { FormError } from '../form-error.ts'
import { pageOf } from '../paging.ts'
import * as consoleReports from './console-repository.ts'
import { listAll } from './repository.ts'
import { createReport, findReport, publishReport, retractReport, translateReport, type ReportInput } from './service.ts'

/** Every report, drafts included, newest first, each with its alert if it was published. */
export async function reportsPage(db: Db, page: number) {
  const p = pageOf(page, await consoleReports.countAll(db))
  const rows = await listAll(db, { limit: p.size, offset: p.offset })
  const alerts = await consoleReports.alertsOf(db, rows.map((r) => r.id))
  const alertOf = new Map(alerts.filter((a) => a.kind === 'report').map((a) => [a.report_id, a.id]))
  return { ...p, rows: rows.map((r) => ({ ...r, alertId: alertOf.get(r.id) ?? null })) }
}

export async function reportView(db: Db, id: string) {
  const [report, alerts] = await Promise.all([findReport(db, id), consoleReports.alertsOf(db, [id])])
  return { report, alerts }
}

export const campaignChoices = consoleReports.campaignChoices

function conflictAs(err: unknown, key: MessageKey): unknown {
  return err instanceof AppError && err.code === 'conflict' ? new FormError({ _: key }, 409) : err
}

export async function createDraft(db: Db, actor: Actor, input: ReportInput) {
  try {
    return await createReport(db, actor.id, input, actor)
  } catch (err) {
    // The select offers existing campaigns only; a stale form may still name one that is gone.
    if (err instanceof AppError && err.fields?.campaign) throw new FormError({ campaign: 'console.report.unknownCampaign' })
    throw err
  }
}

export async function publishDraft(db: Db, actor: Actor, id: string) {
  try {
    return await publishReport(db, id, actor)
  } catch (err) {
    throw conflictAs(err, 'console.report.notDraft')
  }
}

export async function retractPublished(db: Db, actor: Actor, id: string, note: string) {
  try {
    return await retractReport(db, id, note, actor)
  } catch (err) {
    throw conflictAs(err, 'console.report.notPublished')
  }
}

export async function translateFromConsole(db: Db, actor: Actor, id: string, locale: Locale, texts: ReportTexts) {
  try {
    return await translateReport(db, id, locale, texts, actor)
  } catch (err) {
    throw conflictAs(err, 'console.report.translationClosed')
  }
}

/** An alert's progress, its report, and which of pause / resume / cancel apply now. */
export async function alertView(db: Db, id: string) {
  const alert = await alertProgress(db, id)
  const report = await findReport(db, alert.report)
  return { alert, report, controls: allowedControls(alert.status) }
}

export async function controlFromConsole(db: Db, actor: Actor, id: string, action: AlertControl) {
  try {
    return await controlAlert(db, id, action, actor)
  } catch (err) {
    throw conflictAs(err, 'console.alert.cannot')
  }
}
