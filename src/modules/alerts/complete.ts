// An alert is done once nothing is left to send (repository.ts, completeDrained). The statement
// that says so and the `alert.completed` webhook event with the alert's final counts commit
// together: the event is told once, by whichever check marked the alert done.
import type { Db } from '../../db/index.ts'
import { emitEvent } from '../webhooks/events.ts'
import * as alerts from './repository.ts'

type Which = { alertId: string } | { deliveryIds: readonly string[] }

export async function completeDrainedAlerts(db: Db, which: Which) {
  if ('deliveryIds' in which && which.deliveryIds.length === 0) return
  await db.transaction().execute(async (trx) => {
    const done =
      'alertId' in which
        ? await alerts.completeIfDrained(trx, which.alertId)
        : await alerts.completeAlertsOf(trx, which.deliveryIds)
    for (const { id } of done) {
      const alert = (await alerts.findAlert(trx, id))!
      const counts = await alerts.progress(trx, id)
      await emitEvent(trx, 'alert.completed', {
        alertId: id,
        kind: alert.kind,
        reportId: alert.report_id,
        updateId: alert.update_id,
        recipients: counts.recipients,
        sent: counts.sent,
        failed: counts.failed,
        suppressed: counts.suppressed,
        cancelled: counts.cancelled,
      })
    }
  })
}
