import { Queue } from 'bullmq'
import type { Config } from '../src/config.ts'
import type { Db } from '../src/db/index.ts'
import {
  digestSchedule,
  alertJobs,
  maintenanceJobs,
  queues,
  type DeliveryJobData,
  type FanoutJobData,
  type MailJobData,
  type WebhookJobData,
  webhookJob,
} from '../src/jobs/index.ts'
import { createMailer } from '../src/mail/transport.ts'
import { Metrics } from '../src/metrics.ts'
import { backlogOf } from '../src/modules/outbox/repository.ts'
import { createPoster } from '../src/modules/webhooks/post.ts'
import { createComposer } from '../src/present/mail.ts'
import { createAlertsWorker } from './alerts.worker.ts'
import { workerConnection } from './connection.ts'
import type { Logger } from './context.ts'
import { createDeliveriesWorker } from './deliveries.worker.ts'
import { domainPacer } from './domain-pace.ts'
import { createMailWorker } from './mail.worker.ts'
import { createMaintenanceWorker } from './maintenance.worker.ts'
import { startTickers } from './ticker.ts'
import { createWebhooksWorker } from './webhooks.worker.ts'

export interface Workers {
  close(): Promise<void>
}

const keep = { removeOnComplete: { count: 1000 }, removeOnFail: { count: 10_000 } }

export async function startWorkers({
  config,
  db,
  logger,
  metrics = new Metrics(),
}: {
  config: Config
  db: Db
  logger: Logger
  /** The process's metrics (src/metrics.ts): emails by kind, queue and outbox gauges. */
  metrics?: Metrics
}): Promise<Workers> {
  const onRedisError = (err: Error) => logger.warn({ err: err.message }, 'redis connection error')
  const connection = workerConnection(config.redisUrl, onRedisError)
  // The relay's queues must fail fast while Redis is down, so the outbox keeps the rows.
  const queueConnection = workerConnection(config.redisUrl, onRedisError, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
  })
  const ctx = { config, db, connection, logger }
  const prefix = config.queuePrefix

  const mailQueue = new Queue<MailJobData>(queues.mail, {
    connection: queueConnection,
    prefix,
    defaultJobOptions: { attempts: 10, backoff: { type: 'exponential', delay: 2000, jitter: 0.5 }, ...keep },
  })
  const alertsQueue = new Queue<FanoutJobData>(queues.alerts, {
    connection: queueConnection,
    prefix,
    defaultJobOptions: { attempts: 20, backoff: { type: 'exponential', delay: 1000, jitter: 0.5 }, ...keep },
  })
  // Temporary SMTP failures and an unreachable database pause the queue and spend no attempt
  // (workers/backoff.ts); attempts are for the rest.
  const deliveriesQueue = new Queue<DeliveryJobData>(queues.deliveries, {
    connection,
    prefix,
    defaultJobOptions: { attempts: 10, backoff: { type: 'exponential', delay: 1000, jitter: 0.5 }, ...keep },
  })
  const maintenanceQueue = new Queue(queues.maintenance, { connection, prefix })
  // A failed webhook attempt waits WEBHOOK_RETRY_MS, then twice that each time: about a day in all.
  const webhooksQueue = new Queue<WebhookJobData>(queues.webhooks, {
    connection: queueConnection,
    prefix,
    defaultJobOptions: {
      attempts: webhookJob.attempts,
      backoff: { type: 'exponential', delay: config.webhookRetryMs, jitter: 0.2 },
      ...keep,
    },
  })
  for (const queue of [mailQueue, alertsQueue, deliveriesQueue, maintenanceQueue, webhooksQueue]) {
    queue.on('error', (err) => logger.warn({ err: err.message, queue: queue.name }, 'queue error'))
  }

  const mailer = createMailer(config, metrics)
  const allQueues = [mailQueue, alertsQueue, deliveriesQueue, maintenanceQueue, webhooksQueue]
  let closed = false
  metrics.onScrape(async () => {
    if (closed) return
    for (const queue of allQueues) {
      const counts = await queue.getJobCounts('waiting', 'active', 'failed', 'delayed', 'completed')
      for (const [state, n] of Object.entries(counts)) metrics.jobs.set({ queue: queue.name, state }, n)
      metrics.queuePaused.set({ queue: queue.name }, (await queue.isPaused()) ? 1 : 0)
    }
  })
  metrics.onScrape(async () => {
    if (closed) return
    const { oldest, deltas } = await backlogOf(db)
    metrics.outboxOldest.set(oldest)
    metrics.countDeltas.set(deltas)
  })
  // This instance's email composer, with its own memo of alert templates.
  const deps = { db, config, mailer, compose: createComposer({ db, config }), pace: domainPacer(connection, config) }
  const poster = createPoster({ allowPrivate: config.webhookAllowPrivate, timeoutMs: config.webhookTimeoutMs })
  const workers = [
    createMailWorker(ctx, deps, mailQueue),
    createMaintenanceWorker(ctx),
    createAlertsWorker(ctx, deliveriesQueue),
    createDeliveriesWorker(ctx, deps, deliveriesQueue, { concurrency: config.deliveryConcurrency }),
    createWebhooksWorker(ctx, { db, poster }),
  ]
  await Promise.all([
    maintenanceQueue.upsertJobScheduler(
      maintenanceJobs.closeExpired,
      { every: 60_000 },
      { name: maintenanceJobs.closeExpired },
    ),
    maintenanceQueue.upsertJobScheduler(
      maintenanceJobs.purgeSessions,
      { every: 3_600_000 },
      { name: maintenanceJobs.purgeSessions },
    ),
    // Every ten minutes, so a day's bundles go within minutes of midnight (UTC) and a worker that
    // was down catches up; closing is one idempotent statement on a small partial index.
    maintenanceQueue.upsertJobScheduler(
      maintenanceJobs.closeLetterBundles,
      { every: 600_000 },
      { name: maintenanceJobs.closeLetterBundles },
    ),
    maintenanceQueue.upsertJobScheduler(
      maintenanceJobs.purgeStale,
      { every: 3_600_000 },
      { name: maintenanceJobs.purgeStale },
    ),
    alertsQueue.upsertJobScheduler(
      digestSchedule.key,
      { pattern: digestSchedule.pattern, tz: digestSchedule.tz },
      { name: alertJobs.digestRun.name, data: {} as FanoutJobData },
    ),
  ]).catch((err: Error) => logger.warn({ err: err.message }, 'could not schedule recurring jobs yet'))
  const tickers = startTickers(ctx, { mail: mailQueue, alerts: alertsQueue, webhooks: webhooksQueue })

  return {
    // Stop taking new work, let running jobs finish, then close queues, Redis and the mailer.
    async close() {
      closed = true
      await tickers.stop()
      await Promise.all(workers.map((w) => w.close()))
      await Promise.all(allQueues.map((q) => q.close()))
      mailer.close()
      poster.close()
      connection.disconnect()
      queueConnection.disconnect()
    },
  }
}
