// The deliveries queue: batches of alert deliveries or digests. At most DELIVERY_CONCURRENCY
// sends in flight per process, and only as many batches as keep those busy: a process that
// took more would sit on sends another idle process could make. When the SMTP server says
// "not now" or Postgres is out of reach, the whole queue backs off (workers/backoff.ts). A batch
// whose job fails for good has what it left unsent marked failed, so its alert completes.
import { DelayedError, UnrecoverableError, Worker, type Job, type Queue } from 'bullmq'
import pLimit from 'p-limit'
import { DELIVERY_BATCH, deliveryJobs, queues, type DeliveryJobData } from '../src/jobs/index.ts'
import { abandonAlerts, deliverAlerts, NotYet, TemporarySendError, type SendDeps } from '../src/modules/alerts/delivery.ts'
import { abandonDigests, deliverDigests } from '../src/modules/digests/service.ts'
import { obeyQueuePause, queueBackoff } from './backoff.ts'
import { lockOptions, type WorkerContext } from './context.ts'

const NOT_YET_DELAY_MS = 5000

/** Batches a worker process takes at once for `sends` sends in flight: enough to keep them busy. */
export function batchesInFlight(sends: number): number {
  return Math.ceil(sends / DELIVERY_BATCH) + 2
}

/** Whether this attempt, failing with `err`, fails the job for good (BullMQ's rule, Job.shouldRetryJob). */
export function isLastAttempt(job: Pick<Job, 'attemptsMade' | 'opts'>, err: unknown): boolean {
  return err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1)
}

/** Marks failed what a batch that failed for good left unsent; answers how many rows that was. */
async function abandon(db: SendDeps['db'], job: Job<DeliveryJobData>, err: unknown): Promise<number> {
  const reason = `not sent, gave up: ${(err as Error).message}`.slice(0, 500)
  if (job.name === deliveryJobs.alerts.name) {
    const data = deliveryJobs.alerts.payload.safeParse(job.data)
    return data.success ? abandonAlerts(db, data.data.deliveryIds, reason) : 0
  }
  if (job.name === deliveryJobs.digests.name) {
    const data = deliveryJobs.digests.payload.safeParse(job.data)
    return data.success ? abandonDigests(db, data.data.digestIds, reason) : 0
  }
  return 0
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
        if (isLastAttempt(job, err)) {
          const rows = await abandon(deps.db, job, err).catch((abandonErr: Error) => {
            ctx.logger.error({ jobId: job.id, err: abandonErr.message }, 'could not mark a failed batch failed')
            return 0
          })
          ctx.logger.error({ jobId: job.id, rows, err: (err as Error).message }, 'delivery job failed for good; its unsent rows marked failed')
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
