// The deliveries queue (alert and digest batches): only as many batches per process as keep
// DELIVERY_CONCURRENCY sends busy, so no process sits on sends an idle one could make.
import {
  DelayedError,
  UnrecoverableError,
  Worker,
  type Job,
  type Processor,
  type Queue,
  type WorkerOptions,
} from 'bullmq'
import pLimit from 'p-limit'
import { DELIVERY_BATCH, deliveryJobs, queues, type DeliveryJobData } from '../src/jobs/index.ts'
import {
  abandonAlerts,
  deliverAlerts,
  NotYet,
  TemporarySendError,
  type SendDeps,
} from '../src/modules/alerts/delivery.ts'
import { abandonDigests, deliverDigests, type DigestDeps } from '../src/modules/digests/service.ts'
import { obeyQueuePause, queueBackoff } from './backoff.ts'
import { lockOptions, type WorkerContext } from './context.ts'

const NOT_YET_DELAY_MS = 5000

/** Batches a worker process takes at once for `sends` sends in flight: enough to keep them busy. */
export function batchesInFlight(sends: number): number {
  return Math.ceil(sends / DELIVERY_BATCH) + 2
}

/**
 * Marks failed what a batch that failed for good left unsent; answers how many rows that was.
 * Run on BullMQ's `failed` event once the job is failed for good (`finishedOn` set), so that
 * only a failure BullMQ recorded counts, whichever path took it there: the last attempt, an
 * UnrecoverableError, or the stalled-job check giving up on a batch that killed its workers.
 */
async function abandon(deps: SendDeps & DigestDeps, job: Job<DeliveryJobData>, err: Error): Promise<number> {
  const reason = `not sent, gave up: ${err.message}`.slice(0, 500)
  if (job.name === deliveryJobs.alerts.name) {
    const data = deliveryJobs.alerts.payload.safeParse(job.data)
    return data.success ? abandonAlerts(deps.db, data.data.deliveryIds, reason) : 0
  }
  if (job.name === deliveryJobs.digests.name) {
    const data = deliveryJobs.digests.payload.safeParse(job.data)
    return data.success ? abandonDigests(deps.db, data.data.digestIds, reason) : 0
  }
  return 0
}

/**
 * A worker whose close() also waits for the work its `failed` listeners started: the job is
 * already failed in Redis, so a give-up cut short by shutdown (the pool closed under it) would
 * never be made again.
 */
class DeliveriesWorker extends Worker<DeliveryJobData> {
  readonly #settling = new Set<Promise<unknown>>()

  constructor(processor: Processor<DeliveryJobData>, options: WorkerOptions) {
    super(queues.deliveries, processor, options)
  }

  settle(work: Promise<unknown>) {
    this.#settling.add(work)
    // The work's own failure is reported where it is awaited; this copy only keeps the count.
    work.finally(() => this.#settling.delete(work)).catch(() => {})
  }

  override async close(force?: boolean) {
    await super.close(force)
    await Promise.allSettled(this.#settling)
  }
}

export function createDeliveriesWorker(
  ctx: WorkerContext,
  deps: SendDeps & DigestDeps,
  queue: Queue<DeliveryJobData>,
  options: { concurrency?: number } = {},
) {
  const limit = pLimit(options.concurrency ?? 20)
  const backoff = queueBackoff(queue, ctx.logger, (err) =>
    err instanceof TemporarySendError ? err.message : undefined,
  )
  const worker = new DeliveriesWorker(
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
        backoff.succeeded(job)
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
  worker.on('failed', (job, err) => {
    if (job?.finishedOn === undefined) {
      ctx.logger.warn({ jobId: job?.id, err: err.message }, 'delivery job failed, will retry')
      return
    }
    worker.settle(
      abandon(deps, job, err).then(
        (rows) =>
          ctx.logger.error(
            { jobId: job.id, rows, err: err.message },
            'delivery job failed for good; its unsent rows marked failed',
          ),
        (abandonErr: Error) =>
          ctx.logger.error(
            { jobId: job.id, err: err.message, abandonErr: abandonErr.message },
            'delivery job failed for good; could not mark its rows failed',
          ),
      ),
    )
  })
  return worker
}
