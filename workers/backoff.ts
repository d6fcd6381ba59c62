// When the SMTP server says "not now" (a 4xx, a dropped connection) or Postgres cannot be
// reached, a worker backs its whole queue off (BullMQ's rate limit), exponentially with jitter
// up to 5 minutes, and the job goes back to wait without spending an attempt: an outage of any
// length loses no message, up to two days after it was queued (a mail server's queue gives up
// after days as well), when a failure spends attempts again. Attempts are for the other
// failures, which a retry may not cure.
import { Worker } from 'bullmq'
import { isDatabaseUnreachable } from '../src/db/index.ts'
import type { Logger } from './context.ts'

const BACKOFF_BASE_MS = 1000
const BACKOFF_MAX_MS = 5 * 60_000
const WAIT_AT_MOST_MS = 2 * 86_400_000

export function backoffDelay(consecutiveFailures: number, random = Math.random()): number {
  const exp = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(consecutiveFailures, 20))
  return Math.round(exp / 2 + (exp / 2) * random) // "equal jitter": between half and all of it
}

export interface QueueBackoff {
  /** A job went through: the next outage starts from the shortest delay again. */
  succeeded(): void
  /**
   * For a failure that waiting cures (`temporary` for the queue's own kind, or the database out
   * of reach): backs the queue off and returns the error the processor must throw. Otherwise
   * undefined, and the failure spends an attempt as usual.
   */
  pause(err: unknown, job: { id?: string | undefined; timestamp: number }): Promise<Error | undefined>
}

export function queueBackoff(
  worker: () => Worker,
  logger: Logger,
  temporary: (err: unknown) => string | undefined,
): QueueBackoff {
  let consecutive = 0
  return {
    succeeded() {
      consecutive = 0
    },
    async pause(err, job) {
      const database = isDatabaseUnreachable(err)
      const smtp = database ? undefined : temporary(err)
      if ((!database && smtp === undefined) || Date.now() - job.timestamp > WAIT_AT_MOST_MS) return undefined
      const delay = backoffDelay(consecutive++)
      const jobId = job.id
      if (database) logger.warn({ jobId, delayMs: delay, err: (err as Error).message }, 'database unreachable, backing off')
      else logger.warn({ jobId, delayMs: delay, smtp }, 'SMTP temporary failure, backing off')
      await worker().rateLimit(delay)
      return Worker.RateLimitError()
    },
  }
}
