// The queues as operators see them (issue 17, point 3): counts per state, paused or not, the last
// failures, and the two things an admin may do about failures: retry them, or clean them away.
// Both are audited. Jobs carry ids only; a failure's reason may quote an SMTP answer, which can
// name an address, so addresses are masked before anything leaves here.
import { Queue, type Job } from 'bullmq'
import type { Redis } from 'ioredis'
import type { Db } from '../../db/index.ts'
import { queues as queueNames } from '../../jobs/index.ts'
import { record, type Actor } from '../audit/service.ts'
import * as outbox from '../outbox/repository.ts'
import { AppError } from '../../errors.ts'

export type QueueName = (typeof queueNames)[keyof typeof queueNames]
export const QUEUE_NAMES = Object.values(queueNames) as QueueName[]
const FAILURES_SHOWN = 10
const REASON_CHARS = 300

export function isQueueName(name: string): name is QueueName {
  return (QUEUE_NAMES as string[]).includes(name)
}

/** One Queue per name on the caller's connection; the caller closes them (closeQueues). */
export type OperatorQueues = Record<QueueName, Queue>

export function openOperatorQueues(connection: Redis, prefix: string, onError: (err: Error) => void): OperatorQueues {
  return Object.fromEntries(
    QUEUE_NAMES.map((name) => {
      const queue = new Queue(name, { connection, prefix })
      queue.on('error', onError)
      return [name, queue]
    }),
  ) as OperatorQueues
}

export async function closeQueues(open: OperatorQueues) {
  await Promise.all(Object.values(open).map((q) => q.close()))
}

/** An address anywhere in a failure's text becomes "…@domain": enough to see which domain refused. */
export function maskAddresses(text: string): string {
  return text.replace(/("[^"]*"|[^\s<>"'(),;:@]+)@([^\s<>"'(),;:@]+)/g, '…@$2')
}

export interface QueueState {
  name: QueueName
  paused: boolean
  counts: { waiting: number; active: number; delayed: number; failed: number; completed: number }
  failures: { id: string; name: string; reason: string; attempts: number; at: Date | null }[]
}

export async function queueStates(open: OperatorQueues): Promise<QueueState[]> {
  return Promise.all(
    QUEUE_NAMES.map(async (name) => {
      const queue = open[name]
      const [paused, counts, failed] = await Promise.all([
        queue.isPaused(),
        queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'),
        queue.getFailed(0, FAILURES_SHOWN - 1),
      ])
      return {
        name,
        paused,
        counts: {
          waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
          active: counts.active ?? 0,
          delayed: counts.delayed ?? 0,
          failed: counts.failed ?? 0,
          completed: counts.completed ?? 0,
        },
        failures: failed.map(failureOf),
      }
    }),
  )
}

export type FailedJob = QueueState['failures'][number] & { queue: QueueName }

/** The `count` latest failed jobs of all queues together, newest first. */
export async function lastFailedJobs(open: OperatorQueues, count: number): Promise<FailedJob[]> {
  const perQueue = await Promise.all(
    QUEUE_NAMES.map(async (name) =>
      (await open[name].getFailed(0, count - 1)).map((job) => ({ queue: name, ...failureOf(job) })),
    ),
  )
  return perQueue
    .flat()
    .sort((a, b) => (b.at?.getTime() ?? 0) - (a.at?.getTime() ?? 0))
    .slice(0, count)
}

function failureOf(job: Job) {
  return {
    id: String(job.id),
    name: job.name,
    // Masked first: a cut could fall inside an address and leave its first part bare.
    reason: maskAddresses(job.failedReason ?? '').slice(0, REASON_CHARS),
    attempts: job.attemptsMade,
    at: job.finishedOn ? new Date(job.finishedOn) : null,
  }
}

/** What the outbox holds back: rows not yet handed to a queue, and rows handed over but not done. */
export async function outboxState(db: Db) {
  const [backlog, stuck] = await Promise.all([outbox.backlogOf(db), outbox.notDone(db)])
  return { oldestUnrelayedSeconds: Math.round(backlog.oldest), ...stuck }
}

/** Retries one failed job, or every failed job of the queue; returns how many went back. */
export async function retryFailed(db: Db, actor: Actor, open: OperatorQueues, name: string, jobId?: string) {
  const queue = queueOf(open, name)
  let retried = 0
  if (jobId) {
    const job = await queue.getJob(jobId)
    if (!job || !(await job.isFailed())) throw new AppError('not_found')
    // Another admin (or a second click) may have retried it since: then it is no longer failed.
    await job.retry('failed').catch(() => {
      throw new AppError('not_found')
    })
    retried = 1
  } else {
    retried = (await queue.getJobCounts('failed')).failed ?? 0
    await queue.retryJobs({ state: 'failed' })
  }
  await record(db, actor, 'queue.retry', { type: 'queue', id: null }, { queue: name, job: jobId ?? 'all', retried })
  return retried
}

/** Removes the queue's finished jobs of one state (completed or failed); returns how many. */
export async function cleanQueue(
  db: Db,
  actor: Actor,
  open: OperatorQueues,
  name: string,
  state: 'completed' | 'failed',
) {
  const queue = queueOf(open, name)
  const removed = await queue.clean(0, 100_000, state)
  await record(db, actor, 'queue.clean', { type: 'queue', id: null }, { queue: name, state, removed: removed.length })
  return removed.length
}

function queueOf(open: OperatorQueues, name: string): Queue {
  if (!isQueueName(name)) throw new AppError('not_found')
  return open[name]
}
