// A webhook as the API takes and shows it; the console's form is read by the same rules (admin/webhooks.ts).
import { z } from 'zod'
import { WEBHOOK_EVENTS } from '../../../../modules/webhooks/service.ts'

/** http(s) with a host and no credentials: a user name or password in a URL would show in the console. */
export function isWebhookUrl(s: string): boolean {
  if (!URL.canParse(s)) return false
  const url = new URL(s)
  return (
    (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '' && !url.username && !url.password
  )
}

export const webhookUrl = z
  .string()
  .trim()
  .max(2000)
  .refine(isWebhookUrl, { params: { key: 'webhooks.error.url' } })
  .describe('Where events are POSTed: http(s); loopback, private and link-local addresses are refused')

export const webhookEvents = z
  .array(z.enum(WEBHOOK_EVENTS))
  .max(WEBHOOK_EVENTS.length * 2)
  .refine((events) => events.length > 0, { params: { key: 'webhooks.error.events' } })
  .describe('The events to send; at least one')

export const webhookBody = z.object({ url: webhookUrl, events: webhookEvents })

export const idParam = z.object({ id: z.string().regex(/^\d{1,18}$/) })

const webhook = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  enabled: z.boolean(),
  createdAt: z.string().describe('ISO 8601'),
})

export const createdResponse = {
  201: z
    .object({
      id: z.string(),
      secret: z.string().describe('The `whsec_` signing secret (Standard Webhooks); shown only in this answer'),
    })
    .describe('The webhook, registered'),
}

export const listResponse = { 200: z.object({ webhooks: z.array(webhook) }).describe('Every webhook, oldest first') }

export const testResponse = {
  202: z.object({ deliveryId: z.string() }).describe('A `webhook.test` event is on its way to this endpoint'),
}

export const deletedResponse = { 204: z.null().describe('Deleted, with its pending deliveries and log') }

export const deliveriesResponse = {
  200: z
    .object({
      pending: z.number().int().describe('Deliveries waiting for their next attempt'),
      attempts: z.array(
        z.object({
          deliveryId: z.string(),
          event: z.string(),
          attempt: z.number().int(),
          statusCode: z.number().int().nullable().describe("The endpoint's HTTP status; null when none came"),
          latencyMs: z.number().int(),
          error: z.string().nullable(),
          delivery: z.enum(['pending', 'succeeded', 'failed', 'cancelled']),
          at: z.string().describe('ISO 8601'),
        }),
      ),
    })
    .describe('The latest 50 attempts, newest first'),
}
