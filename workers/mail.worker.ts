// The mail queue: one job per outbox row, carrying only the row's id.
import { DelayedError, UnrecoverableError, Worker, type Job, type Queue } from 'bullmq'
import { mailJob, queues, type MailJobData } from '../src/jobs/index.ts'
import { isPermanent, isTemporary } from '../src/mail/transport.ts'
import { deliverOutboxMessage, MailDeferred, type MessageDeps } from '../src/modules/messages/service.ts'
import { obeyQueuePause, queueBackoff } from './backoff.ts'
import type { WorkerContext } from './context.ts'

export function createMailWorker(ctx: WorkerContext, deps: MessageDeps, queue: Queue<MailJobData>) {
  const backoff = queueBackoff(queue, ctx.logger, (err) => (isTemporary(err) ? err.message : undefined))
  const worker = new Worker<MailJobData>(
    queues.mail,
    async (job: Job<MailJobData>, token?: string) => {
      if (job.name !== mailJob.name) throw new UnrecoverableError(`unknown mail job ${job.name}`)
      const { outboxId } = mailJob.payload.parse(job.data)
      try {
        const outcome = await deliverOutboxMessage(deps, outboxId)
        backoff.succeeded(job)
        return outcome
      } catch (err) {
        // The recipient's domain had its share this minute: later, without spending an attempt.
        if (err instanceof MailDeferred) {
          await job.moveToDelayed(Date.now() + err.delayMs, token)
          throw new DelayedError()
        }
        if (isPermanent(err)) throw new UnrecoverableError((err as Error).message)
        throw (await backoff.pause(err, job)) ?? err
      }
    },
    { connection: ctx.connection, prefix: ctx.config.queuePrefix, concurrency: 20, ...obeyQueuePause },
  )
  worker.on('error', (err) => ctx.logger.error({ err: err.message }, 'mail worker error'))
  // A failure BullMQ will not retry (finishedOn set) means an email that will not arrive: the
  // outbox row stays not done, for an operator to see, until retention removes it.
  worker.on('failed', (job, err) => {
    const detail = { jobId: job?.id, attempts: job?.attemptsMade, err: err.message }
    if (job?.finishedOn === undefined) ctx.logger.warn(detail, 'mail job failed, will retry')
    else ctx.logger.error(detail, 'mail job failed for good')
  })
  return worker
}
