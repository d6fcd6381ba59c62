// The contract between web and workers: queue names, job names and their payloads.
// A leaf module: it imports nothing of the app. Payloads carry ids, never an address or a name,
// because Redis keeps job data in clear text.
import { z } from 'zod'

export const queues = {
  mail: 'mail',
  maintenance: 'maintenance',
  alerts: 'alerts',
  deliveries: 'deliveries',
  webhooks: 'webhooks',
} as const

/** The emails a transactional outbox row may ask for, and the ids each carries. */
export const outboxPayloads = {
  'signature.confirm': z.object({ signatureId: z.string() }),
  'signature.already': z.object({ signatureId: z.string() }),
  /** Signed again: the mail worker decides what to send (signatures/service.ts, resolveRepeat). */
  'signature.repeat': z.object({ signatureId: z.string() }),
  'subscriber.confirm': z.object({ subscriberId: z.string() }),
  'subscriber.already': z.object({ subscriberId: z.string() }),
  /** Subscribed again: the mail worker decides what to send, with what was asked (subscribers/service.ts). */
  'subscriber.repeat': z.object({
    subscriberId: z.string(),
    request: z.object({
      locale: z.string(),
      frequency: z.enum(['immediate', 'daily']),
      topicAll: z.boolean(),
      campaignIds: z.array(z.string()),
      provinces: z.array(z.string()),
    }),
  }),
  /** A supporter asked the platform to send a campaign's letter: the button-only confirmation. */
  'letter.confirm': z.object({ letterId: z.string() }),
  /** Asked again: the mail worker decides what to send (platform-letters/service.ts, resolveRepeat). */
  'letter.repeat': z.object({ letterId: z.string() }),
  /** One confirmed letter to one target, not before the target's turn (platform-letters/sends.ts). */
  'letter.send': z.object({ sendId: z.string() }),
  /** A target's letters of one day, as one email (platform-letters/bundles.ts). */
  'letter.bundle': z.object({ bundleId: z.string() }),
  /** The petition as it stands to one target, with a CSV and a PDF (modules/petition-delivery). */
  'petition.deliver': z.object({ deliveryId: z.string() }),
  'organizer.invite': z.object({ invitationId: z.string() }),
  /** Logins to an account were locked: from one network, or (for untrusted browsers) from several. */
  'account.locked': z.object({ organizerId: z.string(), scope: z.enum(['network', 'account']) }),
  /** Asked to erase an address: the mail worker decides whether we hold anything (erasure/service.ts). */
  'erasure.request': z.object({ requestId: z.string() }),
  /** ...and, if we do, sends the link that erases it. */
  'erasure.link': z.object({ requestId: z.string() }),
  /** A campaign crossed a milestone: one email to each organizer told (modules/updates/milestones.ts). */
  'milestone.reached': z.object({ milestoneId: z.string(), organizerId: z.string() }),
} as const

export type OutboxKind = keyof typeof outboxPayloads
export type OutboxPayload<K extends OutboxKind> = z.infer<(typeof outboxPayloads)[K]>

export function isOutboxKind(kind: string): kind is OutboxKind {
  return kind in outboxPayloads
}

/** mail queue: one job per outbox row; the job id is derived from the row, so a re-relay is a no-op. */
export const mailJob = {
  name: 'send',
  payload: z.object({ outboxId: z.string().regex(/^\d+$/) }),
  id: (outboxId: string) => `outbox-${outboxId}`,
} as const
export type MailJobData = z.infer<typeof mailJob.payload>

export const maintenanceJobs = {
  closeExpired: 'close-expired-campaigns',
  purgeSessions: 'purge-expired-sessions',
  purgeStale: 'purge-stale-personal-data',
  /** Closes the daily letter bundles whose (UTC) day is over and queues their emails. */
  closeLetterBundles: 'close-letter-bundles',
} as const

/** Outbox rows that start work other than one email: the relay turns each into its own job. */
export const outboxTasks = {
  'alert.fanout': z.object({ alertId: z.string().regex(/^\d+$/) }),
  /** One event for one endpoint (modules/webhooks): the relay makes it a webhooks job. */
  'webhook.deliver': z.object({ deliveryId: z.string().regex(/^\d+$/) }),
} as const
export type OutboxTaskKind = keyof typeof outboxTasks
export type OutboxTaskPayload<K extends OutboxTaskKind> = z.infer<(typeof outboxTasks)[K]>

export function isOutboxTask(kind: string): kind is OutboxTaskKind {
  return kind in outboxTasks
}

const id = z.string().regex(/^\d+$/)

/**
 * alerts queue: the fan-out of one alert (resumable from alerts.fanout_cursor) and the daily
 * digest run. deliveries queue: one job per batch of up to DELIVERY_BATCH alert deliveries or
 * digests, so the SMTP rate limit and backoff apply to sends only and never hold up a fan-out.
 * Batches, because a job costs two Lua calls and some 45 Redis commands, and a claim and its
 * record two Postgres statements, whatever it carries.
 */
export const DELIVERY_BATCH = 100

export const alertJobs = {
  fanout: { name: 'fanout', payload: z.object({ alertId: id }), id: (alertId: string) => `fanout-${alertId}` },
  digestRun: { name: 'digest-run', payload: z.object({ day: z.iso.date() }) },
} as const
export type FanoutJobData = z.infer<typeof alertJobs.fanout.payload>

export const deliveryJobs = {
  alerts: {
    name: 'alerts',
    payload: z.object({ deliveryIds: z.array(id).min(1).max(DELIVERY_BATCH) }),
    id: (deliveryIds: readonly string[]) => `deliveries-${deliveryIds[0]}`,
  },
  digests: {
    name: 'digests',
    payload: z.object({ digestIds: z.array(id).min(1).max(DELIVERY_BATCH) }),
    id: (digestIds: readonly string[]) => `digests-${digestIds[0]}`,
  },
} as const
export type DeliveryJobData = { deliveryIds: string[] } | { digestIds: string[] }

export const digestSchedule = { key: 'daily-digest', pattern: '0 7 * * *', tz: 'UTC' } as const

/**
 * webhooks queue: one job per delivery (one event, one endpoint). A failed attempt is retried
 * with exponential backoff, WEBHOOK_RETRY_MS doubling: 15 attempts at the default 5 s span about
 * 23 hours, then the delivery is given up.
 */
export const webhookJob = {
  name: 'deliver',
  payload: z.object({ deliveryId: id, outboxId: id }),
  id: (deliveryId: string) => `webhook-${deliveryId}`,
  attempts: 15,
} as const
export type WebhookJobData = z.infer<typeof webhookJob.payload>
