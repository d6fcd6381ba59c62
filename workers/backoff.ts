// SMTP "not now" (4xx, a dropped connection) or an unreachable Postgres pauses the whole queue for
// every worker process, 1 s doubling to 5 min, without spending an attempt: an outage loses no mail
// for up to two days. Attempts are for failures a retry may not cure.
import { Worker, type Queue } from 'bullmq'
import { isDatabaseBusy, isDatabaseUnreachable } from '../src/db/index.ts'
import type { Logger } from './context.ts'

const BACKOFF_BASE_MS = 1000
const BACKOFF_MAX_MS = 5 * 60_000
const WAIT_AT_MOST_MS = 2 * 86_400_000
/**
 * A statement cancelled as too slow (a lock held long by a migration, an overloaded server)
 * pauses the queue at most this many times for one job in one process: past them it is more
 * likely the job's own statement, and it spends attempts like any other failure rather than
 * holding up every job of the queue. With the doubling delay, 30 pauses in a row last hours.
 */
const BUSY_PAUSES_AT_MOST = 30

export function backoffDelay(consecutiveFailures: number, random = Math.random()): number {
  const exp = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(consecutiveFailures, 20))
  return Math.round(exp / 2 + (exp / 2) * random) // "equal jitter": between half and all of it
}

/**
 * BullMQ honours a queue's rate limit only in workers that have a limiter of their own: this one
 * is never reached, and makes every worker of the queue stop while it is paused.
 */
export const obeyQueuePause = { limiter: { max: 1_000_000_000, duration: 1000 } } as const

export interface QueueBackoff {
  /** A job went through: the next outage starts from the shortest delay again. */
  succeeded(job: { id?: string | undefined }): void
  /**
   * For a failure that waiting cures (`temporary` for the queue's own kind, the database out of
   * reach, or a statement cancelled as too slow, BUSY_PAUSES_AT_MOST times for a job): pauses
   * the queue and returns the error the processor must throw. Otherwise undefined, and the
   * failure spends an attempt as usual.
   */
  pause(err: unknown, job: { id?: string | undefined; timestamp: number }): Promise<Error | undefined>
}

export function queueBackoff(
  queue: Queue,
  logger: Logger,
  temporary: (err: unknown) => string | undefined,
): QueueBackoff {
  let consecutive = 0
  let pausedUntil = 0
  // Pauses for a cancelled statement, by job id; forgotten when the job goes through.
  const busyPauses = new Map<string, number>()
  const pauseForBusy = (jobId = '') => {
    const n = (busyPauses.get(jobId) ?? 0) + 1
    if (busyPauses.size >= 10_000) busyPauses.clear()
    if (n > BUSY_PAUSES_AT_MOST) {
      busyPauses.delete(jobId)
      return false
    }
    busyPauses.set(jobId, n)
    return true
  }
  return {
    succeeded(job) {
      consecutive = 0
      if (job.id) busyPauses.delete(job.id)
    },
    async pause(err, job) {
      const database = isDatabaseUnreachable(err) || (isDatabaseBusy(err) && pauseForBusy(job.id))
      const smtp = database ? undefined : temporary(err)
      if ((!database && smtp === undefined) || Date.now() - job.timestamp > WAIT_AT_MOST_MS) return undefined
      // The jobs in flight when the server went away fail together: one pause, not one each.
      if (Date.now() < pausedUntil) return Worker.RateLimitError()
      const delay = backoffDelay(consecutive++)
      pausedUntil = Date.now() + delay
      if (database)
        logger.warn(
          { jobId: job.id, delayMs: delay, err: (err as Error).message },
          'database unreachable or busy, backing off',
        )
      else logger.warn({ jobId: job.id, delayMs: delay, smtp }, 'SMTP temporary failure, backing off')
      await queue.rateLimit(delay)
      return Worker.RateLimitError()
    },
  }
}
