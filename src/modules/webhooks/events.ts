// The events a webhook may subscribe to, what each carries, and how one is written: in the
// transaction of the change it is about, one delivery per endpoint that wants it and one outbox
// row each, so an event is told if and only if its change committed. Payloads carry ids and
// counts, never an address, a name or a text anyone typed.
import { sql } from 'kysely'
import type { Trx } from '../../db/index.ts'

export const WEBHOOK_EVENTS = [
  'report.published',
  'alert.completed',
  'campaign.launched',
  'campaign.milestone',
  'campaign.update',
] as const
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number]

export function isWebhookEvent(name: string): name is WebhookEvent {
  return (WEBHOOK_EVENTS as readonly string[]).includes(name)
}

export interface WebhookEventData {
  'report.published': { reportId: string; alertId: string; campaignId: string | null; peopleCount: number }
  'alert.completed': {
    alertId: string
    kind: string
    reportId: string | null
    updateId: string | null
    recipients: number
    sent: number
    failed: number
    suppressed: number
    cancelled: number
  }
  'campaign.launched': { campaignId: string; slug: string; goal: number; reopened: boolean }
  'campaign.milestone': {
    campaignId: string
    slug: string
    milestoneId: string
    threshold: number
    signatureCount: number
    updateId: string | null
  }
  'campaign.update': {
    campaignId: string
    slug: string
    updateId: string
    kind: string
    outcome: string | null
    alertId: string | null
  }
  /** The console's "send test event": to one endpoint, whatever it subscribed to. */
  'webhook.test': { webhookId: string }
}

/**
 * Writes `event` for every enabled endpoint subscribed to it, in one statement: nothing at all
 * when none is, so a change with no listener pays one index-less scan of a tiny table.
 */
export async function emitEvent<E extends WebhookEvent>(trx: Trx, event: E, data: WebhookEventData[E]) {
  await sql`
    with d as (
      insert into webhook_deliveries (webhook_id, event, payload)
      select id, ${event}, ${JSON.stringify(data)}::jsonb from webhooks
       where disabled_at is null and ${event} = any(events)
      returning id
    )
    insert into outbox (kind, payload)
    select 'webhook.deliver', jsonb_build_object('deliveryId', id::text) from d`.execute(trx)
}

/** The test event, to one endpoint; answers the delivery's id. */
export async function emitTestEvent(trx: Trx, webhookId: string) {
  const data: WebhookEventData['webhook.test'] = { webhookId }
  const row = await trx
    .insertInto('webhook_deliveries')
    .values({ webhook_id: webhookId, event: 'webhook.test', payload: JSON.stringify(data) })
    .returning('id')
    .executeTakeFirstOrThrow()
  await trx
    .insertInto('outbox')
    .values({ kind: 'webhook.deliver', payload: JSON.stringify({ deliveryId: row.id }) })
    .execute()
  return row.id
}
