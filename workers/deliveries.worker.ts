// The deliveries queue: batches of alert deliveries or digests. At most DELIVERY_CONCURRENCY
// sends in flight per process, and only as many batches as keep those busy: a process that
// took more would sit on sends another idle process could make. When the SMTP server says
// "not now" (4xx) or drops the connection, the whole queue backs off (BullMQ's rate limit)
// with exponential delay and jitter, and the job goes back to wait without counting an attempt.
import { DelayedError, UnrecoverableError, Worker } from 'bullmq'
import pLimit from 'p-limit'
import { DELIVERY_BATCH, deliveryJobs, queues, type DeliveryJobData } from '../src/jobs/index.ts'
import { deliverAlerts, NotYet, TemporarySendError, type SendDeps } from '../src/modules/alerts/delivery.ts'
import { deliverDigests } from '../src/modules/digests/service.ts'
import { lockOptions, type WorkerContext } from './context.ts'

const BACKOFF_BASE_MS = 1000
const BACKOFF_MAX_MS = 5 * 60_000
const NOT_YET_DELAY_MS = 5000

export function backoffDelay(consecutiveFailures: number, random = Math.random()): number {
  const exp = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(consecutiveFailures, 20))
  return Math.round(exp / 2 + (exp / 2) * random) // "equal jitter": between half and all of it
}

/** Batches a worker process takes at once for `sends` sends in flight: enough to keep them busy. */
export function batchesInFlight(sends: number): number {
  return Math.ceil(sends / DELIVERY_BATCH) + 2
}

export function createDeliveriesWorker(ctx: WorkerContext, deps: SendDeps, options: { concurrency?: number } = {}) {
  let consecutiveTemporary = 0
  const limit = pLimit(options.concurrency ?? 20)
  const worker: Worker<DeliveryJobData> = new Worker<DeliveryJobData>(
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
        consecutiveTemporary = 0
        return outcome
      } catch (err) {
        if (err instanceof TemporarySendError) {
          const delay = backoffDelay(consecutiveTemporary++)
          ctx.logger.warn({ jobId: job.id, delayMs: delay, smtp: err.message }, 'SMTP temporary failure, backing off')
          await worker.rateLimit(delay)
          throw Worker.RateLimitError()
        }
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
    },
  )
  worker.on('error', (err) => ctx.logger.error({ err: err.message }, 'deliveries worker error'))
  worker.on('failed', (job, err) => ctx.logger.warn({ jobId: job?.id, err: err.message }, 'delivery job failed'))
  return worker
}
