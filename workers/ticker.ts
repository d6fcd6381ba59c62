// Loops that run in every worker process, each on its own timer: relaying the outbox to
// BullMQ and folding signature counts. Both are safe to run in several processes at once.
// A published alert does not wait for the relay's timer: its commit wakes the relay through
// Postgres LISTEN/NOTIFY; the timer stays, for emails and for a lost notification.
import pg from 'pg'
import { flushCounts } from '../src/modules/counts/service.ts'
import { reachMilestones } from '../src/modules/updates/milestones.ts'
import { relayOutbox, type RelayQueues } from '../src/modules/outbox/relay.ts'
import { WAKE_CHANNEL } from '../src/modules/outbox/repository.ts'
import type { WorkerContext } from './context.ts'

export interface Ticker {
  stop(): Promise<void>
}

interface Loop extends Ticker {
  /** Run now (or right after the run in progress) rather than at the next tick. */
  wake(): void
}

const REPORT_EVERY_MS = 60_000

/**
 * Runs `task` every `ms`. Failures in a row are reported when the first comes and then once a
 * minute, with how many there were: an outage does not write a line per tick, and a failure
 * that does not go away keeps saying so.
 */
function every(ms: number, task: () => Promise<unknown>, report: (err: Error, failures: number) => void): Loop {
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let again = false
  let failures = 0
  let reportedAt = 0
  const tick = () => {
    clearTimeout(timer)
    running = task()
      .then(
        () => {
          failures = 0
        },
        (err: Error) => {
          failures++
          if (failures > 1 && Date.now() - reportedAt < REPORT_EVERY_MS) return
          reportedAt = Date.now()
          report(err, failures)
        },
      )
      .finally(() => {
        running = undefined
        if (stopped) return
        if (again) {
          again = false
          tick()
        } else timer = setTimeout(tick, ms)
      })
  }
  timer = setTimeout(tick, 0)
  return {
    wake() {
      if (stopped) return
      if (running) again = true
      else tick()
    },
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}

const RELISTEN_MS = 5000

/** Calls onWake on every notification on the outbox channel; reconnects after a lost connection. */
function listenForWake(ctx: WorkerContext, onWake: () => void): Ticker {
  let client: pg.Client | undefined
  let stopped = false
  let retry: NodeJS.Timeout | undefined
  // Said when the connection is lost and when it is back, not at every attempt in between.
  let lost = false
  const connect = async () => {
    const c = new pg.Client({ connectionString: ctx.config.databaseDirectUrl, connectionTimeoutMillis: 5000 })
    client = c
    let failed = false
    const fail = (err: Error) => {
      if (failed || stopped) return
      failed = true
      if (!lost) ctx.logger.warn({ err: err.message }, 'outbox listener lost its connection; polling meanwhile')
      lost = true
      void c.end().catch(() => {})
      retry = setTimeout(listen, RELISTEN_MS)
    }
    c.on('notification', onWake)
    c.on('error', fail)
    try {
      await c.connect()
      await c.query(`listen ${WAKE_CHANNEL}`)
      if (lost) ctx.logger.info({}, 'outbox listener reconnected')
      lost = false
    } catch (err) {
      fail(err as Error)
    }
  }
  // connect() handles its own failures; this only reports what it did not foresee.
  function listen() {
    connect().catch((err: Error) => ctx.logger.error({ err: err.message }, 'outbox listener failed'))
  }
  listen()
  return {
    async stop() {
      stopped = true
      clearTimeout(retry)
      await client?.end().catch(() => {})
    },
  }
}

export function startTickers(ctx: WorkerContext, queues: RelayQueues): Ticker {
  const relay = every(
    ctx.config.outboxPollMs,
    async () => {
      // Drain in batches while there is a backlog, then wait for the next tick.
      while ((await relayOutbox(ctx.db, queues)) > 0) continue
    },
    // Redis or Postgres down: the rows stay in the outbox until the relay works again.
    (err, failures) => ctx.logger.warn({ err: err.message, failures }, 'outbox relay failing'),
  )
  const listener = listenForWake(ctx, () => relay.wake())
  const counts = every(
    ctx.config.countFlushMs,
    async () => {
      // Milestones move only with the counts: looked at after a fold, never on an idle tick.
      if ((await flushCounts(ctx.db)) > 0) await reachMilestones(ctx.db)
    },
    // The deltas wait in their table; the counts catch up when the flush works again.
    (err, failures) => ctx.logger.error({ err: err.message, failures }, 'count flush failing'),
  )
  return {
    async stop() {
      await Promise.all([listener.stop(), relay.stop(), counts.stop()])
    },
  }
}
