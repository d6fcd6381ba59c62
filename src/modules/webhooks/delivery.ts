// Sends one delivery, signed per Standard Webhooks (https://www.standardwebhooks.com): the
// `webhook-id` stays the same across attempts, so a receiver can drop a repeat; the timestamp and
// signature are each attempt's own. Every attempt is logged; the delivery settles on a 2xx, on a
// refused address, or after its last attempt.
import { Webhook } from 'standardwebhooks'
import type { Db } from '../../db/index.ts'
import * as outbox from '../outbox/repository.ts'
import type { Poster } from './post.ts'
import * as webhooks from './repository.ts'

export interface WebhookDeps {
  db: Db
  poster: Poster
}

export type WebhookOutcome = 'succeeded' | 'retry' | 'failed' | 'cancelled' | 'gone'

/** The body an endpoint receives: the event, when it happened, and its ids and counts. */
export function eventBody(event: string, at: Date, data: unknown) {
  return JSON.stringify({ type: event, timestamp: at.toISOString(), data })
}

export async function deliverWebhook(
  deps: WebhookDeps,
  job: { deliveryId: string; outboxId: string; attempt: number; last: boolean },
): Promise<{ outcome: WebhookOutcome; statusCode?: number | null; error?: string | null }> {
  const { db } = deps
  const d = await webhooks.deliveryForSend(db, job.deliveryId)
  // Deleted with its endpoint, or settled by an attempt that finished after a stall.
  if (!d || d.status !== 'pending') {
    await outbox.markDone(db, job.outboxId)
    return { outcome: 'gone' }
  }
  if (d.disabled_at) {
    await db.transaction().execute(async (trx) => {
      await webhooks.settleDelivery(trx, d.id, 'cancelled')
      await outbox.markDone(trx, job.outboxId)
    })
    return { outcome: 'cancelled' }
  }
  const body = eventBody(d.event, d.created_at, d.payload)
  const messageId = `msg_${d.id}`
  const now = new Date()
  const signature = new Webhook(d.secret).sign(messageId, now, body)
  const answer = await deps.poster.post(
    d.url,
    {
      'webhook-id': messageId,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body,
  )
  const ok = answer.error === null
  const outcome: WebhookOutcome = ok ? 'succeeded' : answer.refused || job.last ? 'failed' : 'retry'
  await db.transaction().execute(async (trx) => {
    await webhooks.insertAttempt(trx, {
      deliveryId: d.id,
      webhookId: d.webhook_id,
      attempt: job.attempt,
      statusCode: answer.statusCode,
      latencyMs: answer.latencyMs,
      error: answer.error,
    })
    await webhooks.settleDelivery(trx, d.id, outcome === 'retry' ? 'pending' : outcome, job.attempt)
    if (outcome !== 'retry') await outbox.markDone(trx, job.outboxId)
  })
  return { outcome, statusCode: answer.statusCode, error: answer.error }
}

/**
 * A delivery whose job BullMQ failed for good without its attempt settling it (the last attempt
 * threw before its answer was written, or the job stalled too often): failed, and its outbox row
 * done, so it neither waits in the log nor counts as pending for ever. Settled ones are left.
 */
export async function abandonDelivery(db: Db, job: { deliveryId: string; outboxId: string }) {
  await db.transaction().execute(async (trx) => {
    await webhooks.settleDelivery(trx, job.deliveryId, 'failed')
    await outbox.markDone(trx, job.outboxId)
  })
}
