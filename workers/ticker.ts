// Loops that run in every worker process, each on its own timer: relaying the outbox to
// BullMQ and folding signature counts. Both are safe to run in several processes at once.
// A published alert does not wait for the relay's timer: its commit wakes the relay through
// Postgres LISTEN/NOTIFY; the timer stays, for emails and for a lost notification.
import pg from 'pg'
import { flushCounts } from '../src/modules/counts/service.ts'
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

/**
 * Runs `task` every `ms`. A failure is reported once per outage, not once per tick: the first
 * failure after a success (Redis or Postgres down), then nothing until the task works again.
 */
function every(ms: number, task: () => Promise<unknown>, onOutage: (err: Error) => void): Loop {
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let again = false
  let failing = false
  const tick = () => {
    clearTimeout(timer)
    running = task()
      .then(
        () => {
          failing = false
        },
        (err: Error) => {
          if (!failing) onOutage(err)
          failing = true
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
  const connect = async () => {
    const c = new pg.Client({ connectionString: ctx.config.databaseUrl })
    client = c
    let failed = false
    const fail = (err: Error) => {
      if (failed || stopped) return
      failed = true
      ctx.logger.warn({ err: err.message }, 'outbox listener lost its connection; polling meanwhile')
      void c.end().catch(() => {})
      retry = setTimeout(() => void connect(), RELISTEN_MS)
    }
    c.on('notification', onWake)
    c.on('error', fail)
    try {
      await c.connect()
      await c.query(`listen ${WAKE_CHANNEL}`)
    } catch (err) {
      fail(err as Error)
    }
  }
  void connect()
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
    (err) => ctx.logger.warn({ err: err.message }, 'outbox relay paused'),
  )
  const listener = listenForWake(ctx, () => relay.wake())
  const counts = every(
    ctx.config.countFlushMs,
    () => flushCounts(ctx.db),
    // The deltas wait in their table; the counts catch up when the flush works again.
    (err) => ctx.logger.warn({ err: err.message }, 'count flush paused'),
  )
  return {
    async stop() {
      await Promise.all([listener.stop(), relay.stop(), counts.stop()])
    },
  }
}
