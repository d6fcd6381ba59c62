// Loops that run in every worker process, each on its own timer: relaying the outbox to
// BullMQ and folding signature counts. Both are safe to run in several processes at once.
import { flushCounts } from '../src/modules/counts/service.ts'
import { relayOutbox, type RelayQueues } from '../src/modules/outbox/relay.ts'
import type { WorkerContext } from './context.ts'

export interface Ticker {
  stop(): Promise<void>
}

function every(ms: number, task: () => Promise<unknown>, onError: (err: Error) => void): Ticker {
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> = Promise.resolve()
  const tick = () => {
    running = task()
      .then(
        () => undefined,
        (err: Error) => onError(err),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, ms)
      })
  }
  timer = setTimeout(tick, 0)
  return {
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
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
  const counts = every(
    ctx.config.countFlushMs,
    () => flushCounts(ctx.db),
    (err) => ctx.logger.error({ err: err.message }, 'count flush failed'),
  )
  return {
    async stop() {
      await Promise.all([relay.stop(), counts.stop()])
    },
  }
}
