import type { Queue } from 'bullmq'
import type { Db } from '../../db/index.ts'
import {
  alertJobs,
  isOutboxTask,
  mailJob,
  outboxTasks,
  webhookJob,
  type FanoutJobData,
  type MailJobData,
  type WebhookJobData,
} from '../../jobs/index.ts'
import * as outbox from './repository.ts'

const BATCH = 500

export interface RelayQueues {
  mail: Queue<MailJobData>
  alerts: Queue<FanoutJobData>
  webhooks: Queue<WebhookJobData>
}

/**
 * Moves committed outbox rows to BullMQ: an email row becomes a mail job, a task row (an
 * alert's fan-out, a webhook delivery) a job on its own queue. The rows are marked relayed in the transaction that
 * holds their locks, after the jobs were added: if Redis is down, adding throws, the transaction
 * rolls back and the rows wait for the next tick. A crash between the two can relay a row
 * twice; job ids derived from the rows make BullMQ ignore the second add.
 */
export async function relayOutbox(db: Db, queues: RelayQueues): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const rows = await outbox.lockUnrelayed(trx, BATCH)
    if (rows.length === 0) return 0
    const mail = rows.filter((r) => !isOutboxTask(r.kind))
    const fanouts = rows.filter((r) => r.kind === 'alert.fanout')
    const hooks = rows.filter((r) => r.kind === 'webhook.deliver')
    await Promise.all([
      mail.length &&
        queues.mail.addBulk(
          mail.map((r) => ({ name: mailJob.name, data: { outboxId: r.id }, opts: { jobId: mailJob.id(r.id) } })),
        ),
      fanouts.length &&
        queues.alerts.addBulk(
          fanouts.map((r) => {
            const { alertId } = outboxTasks['alert.fanout'].parse(r.payload)
            return { name: alertJobs.fanout.name, data: { alertId }, opts: { jobId: alertJobs.fanout.id(alertId) } }
          }),
        ),
      hooks.length &&
        queues.webhooks.addBulk(
          hooks.map((r) => {
            const { deliveryId } = outboxTasks['webhook.deliver'].parse(r.payload)
            const data = { deliveryId, outboxId: r.id }
            return { name: webhookJob.name, data, opts: { jobId: webhookJob.id(deliveryId) } }
          }),
        ),
    ])
    await outbox.markRelayed(
      trx,
      rows.map((r) => r.id),
    )
    return rows.length
  })
}
