import type { Queue } from 'bullmq'
import { chunk } from '../../chunk.ts'
import type { Db } from '../../db/index.ts'
import { DELIVERY_BATCH, deliveryJobs, type DeliveryJobData } from '../../jobs/index.ts'
import { provinceMatchKeysOf } from '../provinces.ts'
import { completeDrainedAlerts } from './complete.ts'
import * as alerts from './repository.ts'

/**
 * Creates one delivery row per recipient and one send job per DELIVERY_BATCH of them, a page at
 * a time. Resumable: the cursor advances only after a page's rows and jobs exist, so a fan-out
 * killed midway and run again redoes at most one page. Rows are unique per (alert, subscriber),
 * the redone page queues only its rows still unsent, and a row is sent by whichever job claims
 * it first. An update's fan-out has a second phase, its letter writers, with a cursor of its own.
 */
export async function fanOut(
  db: Db,
  deliveries: Queue<DeliveryJobData>,
  alertId: string,
  pageSize = 1000,
): Promise<number> {
  const alert = await alerts.findAlert(db, alertId)
  if (!alert) return 0
  let { status, fanout_cursor: cursor, fanout_phase: phase } = alert
  let added = 0
  const provinceKeys = alert.kind === 'report' && alert.report_id ? await provinceMatchKeysOf(db, alert.report_id) : []
  const phases = alerts.fanoutPhases(alert.kind)
  while (status !== 'cancelled') {
    const { last, queued } = await alerts.insertDeliveryPage(db, alert, phase, cursor, pageSize, provinceKeys)
    if (last === null) {
      const next = phases[phases.indexOf(phase) + 1]
      if (!next) break
      ;[phase, cursor] = [next, '0']
      status = await alerts.advanceCursor(db, alertId, phase, cursor)
      continue
    }
    const batches = chunk(queued, DELIVERY_BATCH)
    await deliveries.addBulk(
      batches.map((ids) => ({
        name: deliveryJobs.alerts.name,
        data: { deliveryIds: ids },
        opts: { jobId: deliveryJobs.alerts.id(ids) },
      })),
    )
    added += queued.length
    cursor = last
    status = await alerts.advanceCursor(db, alertId, phase, cursor)
  }
  await alerts.finishFanout(db, alertId)
  // After, not in, the statement above: an alert without recipients, or whose sends all ended
  // before its last page was counted, has no later send to complete it.
  await completeDrainedAlerts(db, { alertId })
  return added
}
