// Webhooks for organizers: register an endpoint for events (its secret shown once), list, disable,
// delete, send a test event, read the delivery log. Every change is audited; an audit row names
// the endpoint's host, never its full URL (a query string may hold the receiver's own token).
import { randomBytes } from 'node:crypto'
import type { Db } from '../../db/index.ts'
import { AppError, notFound } from '../../errors.ts'
import { record, type Actor } from '../audit/service.ts'
import { refusedHost } from './address.ts'
import { emitTestEvent, type WebhookEvent } from './events.ts'
import * as webhooks from './repository.ts'

export { WEBHOOK_EVENTS, isWebhookEvent, type WebhookEvent } from './events.ts'
export type { WebhookRow } from './repository.ts'

/** A Standard Webhooks secret: `whsec_` and 24 random bytes in base64 (192 bits). */
const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`

export interface WebhookInput {
  url: string
  events: WebhookEvent[]
}

/** Registers an endpoint; answers it with its secret, which is never shown again. */
export async function createWebhook(db: Db, allowPrivate: boolean, actor: Actor, input: WebhookInput) {
  const url = new URL(input.url)
  const refused = await refusedHost(url, allowPrivate)
  if (refused) throw new AppError('invalid_input', { url: refused })
  const secret = newSecret()
  const events = [...new Set(input.events)]
  const webhook = await db.transaction().execute(async (trx) => {
    const row = await webhooks.insertWebhook(trx, {
      url: url.toString(),
      events,
      secret,
      createdBy: actor.via === 'system' ? null : actor.id,
    })
    await record(trx, actor, 'webhook.create', { type: 'webhook', id: row.id }, { host: url.host, events })
    return row
  })
  return { webhook, secret }
}

export const listWebhooks = webhooks.listWebhooks

export async function findWebhook(db: Db, id: string) {
  const row = await webhooks.findWebhook(db, id)
  if (!row) throw notFound()
  return row
}

/** Deletes an endpoint with its deliveries and their log; jobs still queued find nothing to send. */
export async function deleteWebhook(db: Db, actor: Actor, id: string) {
  await db.transaction().execute(async (trx) => {
    const row = await webhooks.findWebhook(trx, id)
    if (!row || !(await webhooks.deleteWebhook(trx, id))) throw notFound()
    await record(trx, actor, 'webhook.delete', { type: 'webhook', id }, { host: new URL(row.url).host })
  })
}

/** Disables an endpoint (no new deliveries; those pending are cancelled when their turn comes), or enables it. */
export async function setWebhookEnabled(db: Db, actor: Actor, id: string, enabled: boolean) {
  await db.transaction().execute(async (trx) => {
    if (!(await webhooks.setDisabled(trx, id, !enabled))) throw notFound()
    await record(trx, actor, enabled ? 'webhook.enable' : 'webhook.disable', { type: 'webhook', id })
  })
}

/** Sends `webhook.test` to one enabled endpoint; answers the delivery's id. */
export async function sendTestEvent(db: Db, actor: Actor, id: string) {
  return db.transaction().execute(async (trx) => {
    const row = await webhooks.findWebhook(trx, id)
    if (!row) throw notFound()
    if (row.disabled_at) throw new AppError('conflict', undefined, 'webhooks.error.disabled')
    const deliveryId = await emitTestEvent(trx, id)
    await record(trx, actor, 'webhook.test', { type: 'webhook', id }, { delivery: deliveryId })
    return deliveryId
  })
}

const LOG_SHOWN = 50

/** The latest attempts at an endpoint's deliveries, and how many wait for their next one. */
export async function deliveryLog(db: Db, id: string) {
  const [attempts, pending] = await Promise.all([webhooks.attemptLog(db, id, LOG_SHOWN), webhooks.pendingCount(db, id)])
  return { attempts, pending }
}

/** How long the log keeps a settled delivery and its attempts. */
export const WEBHOOK_LOG_DAYS = 30
const PRUNE_BATCH = 5000

/** Forgets deliveries settled WEBHOOK_LOG_DAYS ago, a batch at a time; answers how many. */
export async function pruneWebhookLog(db: Db, days = WEBHOOK_LOG_DAYS) {
  let total = 0
  for (;;) {
    const n = await webhooks.deleteSettledBefore(db, days, PRUNE_BATCH)
    total += n
    if (n < PRUNE_BATCH) return total
  }
}
