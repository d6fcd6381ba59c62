// The alerts queue: an alert's fan-out and the daily digest run.
import { UnrecoverableError, Worker, type Queue } from 'bullmq'
import { alertJobs, queues, type DeliveryJobData } from '../src/jobs/index.ts'
import { fanOut } from '../src/modules/alerts/fanout.ts'
import { runDigest } from '../src/modules/digests/service.ts'
import { lockOptions, type WorkerContext } from './context.ts'

export function createAlertsWorker(ctx: WorkerContext, deliveries: Queue<DeliveryJobData>) {
  const worker = new Worker(
    queues.alerts,
    async (job) => {
      switch (job.name) {
        case alertJobs.fanout.name: {
          const { alertId } = alertJobs.fanout.payload.parse(job.data)
          return fanOut(ctx.db, deliveries, alertId, ctx.config.fanoutPageSize)
        }
        case alertJobs.digestRun.name: {
          // A scheduled run carries no day of its own: the day is when it fires.
          const now = new Date()
          const day = (job.data as { day?: string }).day ?? now.toISOString().slice(0, 10)
          return runDigest(ctx.db, deliveries, alertJobs.digestRun.payload.parse({ day }).day, now)
        }
        default:
          throw new UnrecoverableError(`unknown alerts job ${job.name}`)
      }
    },
    { connection: ctx.connection, prefix: ctx.config.queuePrefix, concurrency: 2, ...lockOptions(ctx.config) },
  )
  worker.on('error', (err) => ctx.logger.error({ err: err.message }, 'alerts worker error'))
  worker.on('failed', (job, err) => ctx.logger.warn({ jobId: job?.id, err: err.message }, 'alerts job failed'))
  return worker
}
