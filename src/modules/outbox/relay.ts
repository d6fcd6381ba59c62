import type { Queue } from 'bullmq'
import type { Db } from '../../db/index.ts'
import { mailJob, type MailJobData } from '../../jobs/index.ts'
import * as outbox from './repository.ts'

const BATCH = 500

/**
 * Moves committed outbox rows to BullMQ. The rows are marked relayed in the same transaction
 * that holds their locks, after the jobs were added: if Redis is down, addBulk throws, the
 * transaction rolls back and the rows wait for the next tick. A crash between the two can
 * relay a row twice; the job id derived from the row makes BullMQ ignore the second add.
 */
export async function relayOutbox(db: Db, mailQueue: Queue<MailJobData>): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const rows = await outbox.lockUnrelayed(trx, BATCH)
    if (rows.length === 0) return 0
    await mailQueue.addBulk(
      rows.map((r) => ({
        name: mailJob.name,
        data: { outboxId: r.id },
        opts: { jobId: mailJob.id(r.id) },
      })),
    )
    await outbox.markRelayed(
      trx,
      rows.map((r) => r.id),
    )
    return rows.length
  })
}
