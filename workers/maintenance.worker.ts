// Scheduled housekeeping: closing campaigns whose deadline passed, deleting dead sessions and
// personal data past its retention.
import { UnrecoverableError, Worker } from 'bullmq'
import { maintenanceJobs, queues } from '../src/jobs/index.ts'
import { systemActor } from '../src/modules/audit/service.ts'
import { closeExpiredCampaigns } from '../src/modules/campaigns/service.ts'
import { forgetPast as forgetPastCooldowns } from '../src/modules/messages/cooldown.ts'
import { closeLetterBundles } from '../src/modules/platform-letters/bundles.ts'
import { purgeStale } from '../src/modules/retention/service.ts'
import { purgeExpiredSessions } from '../src/modules/sessions/service.ts'
import { pruneWebhookLog } from '../src/modules/webhooks/service.ts'
import type { WorkerContext } from './context.ts'

export function createMaintenanceWorker(ctx: WorkerContext) {
  const worker = new Worker(
    queues.maintenance,
    async (job) => {
      switch (job.name) {
        case maintenanceJobs.closeExpired: {
          const closed = await closeExpiredCampaigns(ctx.db, systemActor('ticker'))
          if (closed.length) ctx.logger.info({ closed }, 'closed campaigns past their deadline')
          return closed
        }
        case maintenanceJobs.purgeSessions: {
          // Expired sessions are refused anyway; deleting them keeps the table small.
          await purgeExpiredSessions(ctx.db, ctx.config.sessionIdleMinutes)
          return null
        }
        case maintenanceJobs.purgeStale: {
          // Short retention of personal data (src/modules/retention); counts only in the log.
          const purged = await purgeStale(ctx.db, systemActor('retention'), ctx.config)
          if (Object.values(purged).some((n) => n > 0)) ctx.logger.info({ purged }, 'purged stale personal data')
          // A mailbox's cooldown, once over, decides nothing: no reason to keep even its hash.
          await forgetPastCooldowns(ctx.db, ctx.config.emailCooldownSeconds)
          // Webhook deliveries hold ids and counts only; their log is kept a month, for operators.
          await pruneWebhookLog(ctx.db)
          return purged
        }
        case maintenanceJobs.closeLetterBundles:
          return closeLetterBundles(ctx.db)
        default:
          throw new UnrecoverableError(`unknown maintenance job ${job.name}`)
      }
    },
    { connection: ctx.connection, prefix: ctx.config.queuePrefix, concurrency: 1 },
  )
  worker.on('error', (err) => ctx.logger.error({ err: err.message }, 'maintenance worker error'))
  return worker
}
