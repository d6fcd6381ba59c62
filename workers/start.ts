import { Queue } from 'bullmq'
import type { Config } from '../src/config.ts'
import type { Db } from '../src/db/index.ts'
import { maintenanceJobs, queues, type MailJobData } from '../src/jobs/index.ts'
import { createEmailRenderer } from '../src/mail/render.ts'
import { createMailer } from '../src/mail/transport.ts'
import { workerConnection } from './connection.ts'
import type { Logger } from './context.ts'
import { createMailWorker } from './mail.worker.ts'
import { createMaintenanceWorker } from './maintenance.worker.ts'
import { startTickers } from './ticker.ts'

export interface Workers {
  close(): Promise<void>
}

export async function startWorkers({ config, db, logger }: { config: Config; db: Db; logger: Logger }): Promise<Workers> {
  const onRedisError = (err: Error) => logger.warn({ err: err.message }, 'redis connection error')
  const connection = workerConnection(config.redisUrl, onRedisError)
  // The relay's queue must fail fast while Redis is down, so the outbox keeps the rows.
  const queueConnection = workerConnection(config.redisUrl, onRedisError, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
  })
  const ctx = { config, db, connection, logger }

  const mailQueue = new Queue<MailJobData>(queues.mail, {
    connection: queueConnection,
    prefix: config.queuePrefix,
    defaultJobOptions: {
      attempts: 10,
      backoff: { type: 'exponential', delay: 2000, jitter: 0.5 },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 10_000 },
    },
  })
  const maintenanceQueue = new Queue(queues.maintenance, { connection, prefix: config.queuePrefix })
  mailQueue.on('error', (err) => logger.warn({ err: err.message }, 'mail queue error'))
  maintenanceQueue.on('error', (err) => logger.warn({ err: err.message }, 'maintenance queue error'))

  const mailer = createMailer(config)
  const mailWorker = createMailWorker(ctx, { db, config, mailer, render: createEmailRenderer(config) })
  const maintenanceWorker = createMaintenanceWorker(ctx)
  await maintenanceQueue
    .upsertJobScheduler(maintenanceJobs.closeExpired, { every: 60_000 }, { name: maintenanceJobs.closeExpired })
    .catch((err: Error) => logger.warn({ err: err.message }, 'could not schedule deadline checks yet'))
  const tickers = startTickers(ctx, mailQueue)

  return {
    // Stop taking new work, let running jobs finish, then close queues, Redis and the mailer.
    async close() {
      await tickers.stop()
      await Promise.all([mailWorker.close(), maintenanceWorker.close()])
      await Promise.all([mailQueue.close(), maintenanceQueue.close()])
      mailer.close()
      connection.disconnect()
      queueConnection.disconnect()
    },
  }
}
