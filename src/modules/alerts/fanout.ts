import type { Queue } from 'bullmq'
import type { Db } from '../../db/index.ts'
import { deliveryJobs, type DeliveryJobData } from '../../jobs/index.ts'
import * as alerts from './repository.ts'

/**
 * Creates one delivery row per recipient and one send job per delivery, a page at a time.
 * Resumable: the cursor advances only after a page's rows and jobs exist, so a fan-out killed
 * midway and run again redoes at most one page. Rows are unique per (alert, subscriber) and job
 * ids are derived from delivery ids, so the redone page adds no duplicate.
 */
export async function fanOut(
  db: Db,
  deliveries: Queue<DeliveryJobData>,
  alertId: string,
  pageSize = 1000,
): Promise<number> {
  let alert = await alerts.findAlert(db, alertId)
  if (!alert) return 0
  let cursor = alert.fanout_cursor
  let added = 0
  while (alert.status !== 'cancelled') {
    const page = await alerts.nextRecipients(db, alert, cursor, pageSize)
    if (page.length === 0) break
    await alerts.insertDeliveries(db, alertId, page)
    const queued = await alerts.queuedDeliveries(db, alertId, page)
    await deliveries.addBulk(
      queued.map((id) => ({ name: deliveryJobs.alert.name, data: { deliveryId: id }, opts: { jobId: deliveryJobs.alert.id(id) } })),
    )
    added += queued.length
    cursor = page[page.length - 1]!
    await alerts.advanceCursor(db, alertId, cursor)
    alert = (await alerts.findAlert(db, alertId))!
  }
  await alerts.finishFanout(db, alertId)
  return added
}
