// The deliveries queue: batches of alert deliveries or digests. At most DELIVERY_CONCURRENCY
// sends in flight per process, and only as many batches as keep those busy: a process that
// took more would sit on sends another idle process could make. When the SMTP server says
// "not now" or Postgres is out of reach, the whole queue backs off (workers/backoff.ts).
import { DelayedError, UnrecoverableError, Worker, type Queue } from 'bullmq'
import pLimit from 'p-limit'
import { DELIVERY_BATCH, deliveryJobs, queues, type DeliveryJobData } from '../src/jobs/index.ts'
import { deliverAlerts, NotYet, TemporarySendError, type SendDeps } from '../src/modules/alerts/delivery.ts'
import { deliverDigests } from '../src/modules/digests/service.ts'
import { obeyQueuePause, queueBackoff } from './backoff.ts'
import { lockOptions, type WorkerContext } from './context.ts'

const NOT_YET_DELAY_MS = 5000

/** Batches a worker process takes at once for `sends` sends in flight: enough to keep them busy. */
export function batchesInFlight(sends: number): number {
  return Math.ceil(sends / DELIVERY_BATCH) + 2
}

export function createDeliveriesWorker(
  ctx: WorkerContext,
  deps: SendDeps,
  queue: Queue<DeliveryJobData>,
  options: { concurrency?: number } = {},
) {
  const limit = pLimit(options.concurrency ?? 20)
  const backoff = queueBackoff(queue, ctx.logger, (err) => (err instanceof TemporarySendError ? err.message : undefined))
  const worker = new Worker<DeliveryJobData>(
    queues.deliveries,
    async (job, token) => {
      try {
        let outcome
        if (job.name === deliveryJobs.alerts.name) {
          outcome = await deliverAlerts(deps, deliveryJobs.alerts.payload.parse(job.data).deliveryIds, limit)
        } else if (job.name === deliveryJobs.digests.name) {
          outcome = await deliverDigests(deps, deliveryJobs.digests.payload.parse(job.data).digestIds, limit)
        } else {
          throw new UnrecoverableError(`unknown deliveries job ${job.name}`)
        }
        backoff.succeeded()
        return outcome
      } catch (err) {
        const pause = await backoff.pause(err, job)
        if (pause) throw pause
        if (err instanceof NotYet) {
          await job.moveToDelayed(Date.now() + NOT_YET_DELAY_MS, token)
          throw new DelayedError()
        }
        throw err
      }
    },
    {
      connection: ctx.connection,
      prefix: ctx.config.queuePrefix,
      concurrency: batchesInFlight(limit.concurrency),
      ...lockOptions(ctx.config),
      ...obeyQueuePause,
    },
  )
  worker.on('error', (err) => ctx.logger.error({ err: err.message }, 'deliveries worker error'))
  worker.on('failed', (job, err) => ctx.logger.warn({ jobId: job?.id, err: err.message }, 'delivery job failed'))
  return worker
}
