// The contract between web and workers: queue names, job names and their payloads.
// A leaf module: it imports nothing of the app. Payloads carry ids, never an address or a name,
// because Redis keeps job data in clear text.
import { z } from 'zod'

export const queues = { mail: 'mail', maintenance: 'maintenance' } as const

/** What a transactional outbox row may ask for, and the ids it carries. */
export const outboxPayloads = {
  'signature.confirm': z.object({ signatureId: z.string() }),
  'signature.already': z.object({ signatureId: z.string() }),
  'organizer.invite': z.object({ invitationId: z.string() }),
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
} as const
