import type { Db } from '../../db/index.ts'
import type { AlertStatus } from '../../db/types.ts'
import { AppError, notFound } from '../../errors.ts'
import { record, type Actor } from '../audit/service.ts'
import { provinceMatchKeysOf } from '../provinces.ts'
import * as alerts from './repository.ts'

/** An alert's progress, as the console and GET /api/v1/alerts/:id show it. */
export async function alertProgress(db: Db, id: string) {
  const alert = await alerts.findAlert(db, id)
  if (!alert) throw notFound()
  const counts = await alerts.progress(db, id)
  // Read only: a GET never changes state. The batch that settles the last delivery writes done;
  // until that statement lands (milliseconds, or a dead worker's batch redone), the counts say so.
  const drained = alert.fanned_out_at !== null && counts.queued === 0
  const status = drained && alerts.completable.includes(alert.status) ? 'done' : alert.status
  return {
    id: alert.id,
    report: alert.report_id,
    update: alert.update_id,
    kind: alert.kind,
    status,
    recipients: counts.recipients,
    queued: counts.queued,
    sent: counts.sent,
    failed: counts.failed,
    suppressed: counts.suppressed,
    cancelled: counts.cancelled,
  }
}

const CANCEL_PAGE = 10_000

const transitions = {
  pause: { from: ['fanning-out', 'sending'], to: 'paused' },
  resume: { from: ['paused'], to: 'sending' },
  cancel: { from: ['fanning-out', 'sending', 'paused'], to: 'cancelled' },
} as const

export type AlertControl = keyof typeof transitions

/** The controls that apply to an alert in this status: the console shows only these buttons. */
export function allowedControls(status: AlertStatus): AlertControl[] {
  return (Object.keys(transitions) as AlertControl[]).filter((a) =>
    (transitions[a].from as readonly AlertStatus[]).includes(status),
  )
}

/**
 * Pause holds the sends (their jobs wait and look again); resume lets them go; cancel marks
 * every unsent delivery cancelled. A paused fan-out goes on creating rows: they wait too.
 * The cancel commits with the alert's status, then marks the queued rows a page at a time, so
 * that no statement outlasts the statement timeout on an alert of a million recipients. A row
 * this misses (the database gone midway) is recorded cancelled by the send job that claims it.
 */
export async function controlAlert(db: Db, actor: Actor, id: string, action: keyof typeof transitions) {
  const alert = await alerts.findAlert(db, id)
  if (!alert) throw notFound()
  const { from, to } = transitions[action]
  const changed = await db.transaction().execute(async (trx) => {
    const row = await alerts.setAlertStatus(trx, id, [...from], to)
    if (row) await record(trx, actor, `alert.${action}`, { type: 'alert', id })
    return row
  })
  if (!changed) throw new AppError('conflict', undefined, 'error.alert.state')
  if (action === 'cancel') {
    for (const phase of alerts.fanoutPhases(alert.kind))
      for (let cursor: string | null = '0'; cursor !== null;)
        cursor = await alerts.cancelQueuedPage(db, alert, phase, cursor, CANCEL_PAGE)
  }
  return alertProgress(db, id)
}

/** How many subscribers a report's alert would reach if published now, by language (its own topic matching). */
export async function reportReach(db: Db, reportId: string) {
  return alerts.reportReachByLocale(db, reportId, await provinceMatchKeysOf(db, reportId))
}
