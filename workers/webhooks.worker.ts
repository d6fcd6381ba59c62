// The webhooks queue: one job per delivery (one event, one endpoint), carrying ids only. A failed
// attempt throws, so BullMQ retries it with exponential backoff (the queue's options, start.ts);
// the last attempt, or an address refused as not public, settles the delivery as failed instead.
import { UnrecoverableError, Worker, type Job } from 'bullmq'
import { queues, webhookJob, type WebhookJobData } from '../src/jobs/index.ts'
import { abandonDelivery, deliverWebhook, type WebhookDeps } from '../src/modules/webhooks/delivery.ts'
import { lockOptions, type WorkerContext } from './context.ts'

/** Sends in flight per worker process: each is one HTTP request waiting on someone else's server. */
const CONCURRENCY = 10

export function createWebhooksWorker(ctx: WorkerContext, deps: WebhookDeps) {
  const worker = new Worker<WebhookJobData>(
    queues.webhooks,
    async (job: Job<WebhookJobData>) => {
      if (job.name !== webhookJob.name) throw new UnrecoverableError(`unknown webhook job ${job.name}`)
      const { deliveryId, outboxId } = webhookJob.payload.parse(job.data)
      const attempt = job.attemptsMade + 1
      const last = attempt >= (job.opts.attempts ?? 1)
      const result = await deliverWebhook(deps, { deliveryId, outboxId, attempt, last })
      // The reason names the answer, never the endpoint's URL (its query may hold a token).
      if (result.outcome === 'retry') throw new Error(`attempt ${attempt}: ${result.error}`)
      return result.outcome
    },
    {
      connection: ctx.connection,
      prefix: ctx.config.queuePrefix,
      concurrency: CONCURRENCY,
      ...lockOptions(ctx.config),
    },
  )
  worker.on('error', (err) => ctx.logger.error({ err: err.message }, 'webhooks worker error'))
  // Failed for good (finishedOn set) with the delivery still pending: give it up.
  worker.on('failed', (job, err) => {
    if (!job || job.finishedOn === undefined) return
    const data = webhookJob.payload.safeParse(job.data)
    if (!data.success) return
    abandonDelivery(deps.db, data.data).then(
      () => ctx.logger.warn({ jobId: job.id, err: err.message }, 'webhook delivery failed for good'),
      (abandonErr: Error) =>
        ctx.logger.error({ jobId: job.id, err: abandonErr.message }, 'webhook delivery could not be given up'),
    )
  })
  return worker
}
