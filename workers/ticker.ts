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

function every(ms: number, task: () => Promise<unknown>, onError: (err: Error) => void): Loop {
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let again = false
  const tick = () => {
    clearTimeout(timer)
    running = task()
      .then(
        () => undefined,
        (err: Error) => onError(err),
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
  let relayFailing = false
  const relay = every(
    ctx.config.outboxPollMs,
    async () => {
      // Drain in batches while there is a backlog, then wait for the next tick.
      while ((await relayOutbox(ctx.db, queues)) > 0) relayFailing = false
      relayFailing = false
    },
    (err) => {
      // Redis down: the rows stay in the outbox; log once per outage, not per tick.
      if (!relayFailing) ctx.logger.warn({ err: err.message }, 'outbox relay paused')
      relayFailing = true
    },
  )
  const listener = listenForWake(ctx, () => relay.wake())
  const counts = every(
    ctx.config.countFlushMs,
    () => flushCounts(ctx.db),
    (err) => ctx.logger.error({ err: err.message }, 'count flush failed'),
  )
  return {
    async stop() {
      await Promise.all([listener.stop(), relay.stop(), counts.stop()])
    },
  }
}
