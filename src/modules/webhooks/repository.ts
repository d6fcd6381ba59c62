import { sql } from 'kysely'
import type { Db, Trx } from '../../db/index.ts'
import type { WebhookDeliveryStatus } from '../../db/types.ts'

/** What pages and answers show of an endpoint: never its secret. */
const shown = ['id', 'url', 'events', 'created_at', 'disabled_at'] as const

export function insertWebhook(
  trx: Trx,
  row: { url: string; events: string[]; secret: string; createdBy: string | null },
) {
  return trx
    .insertInto('webhooks')
    .values({ url: row.url, events: row.events, secret: row.secret, created_by: row.createdBy })
    .returning(shown)
    .executeTakeFirstOrThrow()
}

export function listWebhooks(db: Db) {
  return db.selectFrom('webhooks').select(shown).orderBy('id').execute()
}

export function findWebhook(db: Db | Trx, id: string) {
  return db.selectFrom('webhooks').select(shown).where('id', '=', id).executeTakeFirst()
}

export type WebhookRow = NonNullable<Awaited<ReturnType<typeof findWebhook>>>

export function deleteWebhook(trx: Trx, id: string) {
  return trx.deleteFrom('webhooks').where('id', '=', id).returning('id').executeTakeFirst()
}

export function setDisabled(trx: Trx, id: string, disabled: boolean) {
  return trx
    .updateTable('webhooks')
    .set({ disabled_at: disabled ? sql<Date>`coalesce(disabled_at, now())` : null })
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirst()
}

/** A delivery with what sending it takes: its endpoint's address and secret. */
export function deliveryForSend(db: Db, id: string) {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .select(['d.id', 'd.webhook_id', 'd.event', 'd.payload', 'd.status', 'd.created_at'])
    .select(['w.url', 'w.secret', 'w.disabled_at'])
    .where('d.id', '=', id)
    .executeTakeFirst()
}

export function insertAttempt(
  trx: Trx,
  row: {
    deliveryId: string
    webhookId: string
    attempt: number
    statusCode: number | null
    latencyMs: number
    error: string | null
  },
) {
  return trx
    .insertInto('webhook_attempts')
    .values({
      delivery_id: row.deliveryId,
      webhook_id: row.webhookId,
      attempt: row.attempt,
      status_code: row.statusCode,
      latency_ms: row.latencyMs,
      error: row.error,
    })
    .execute()
}

/** Records where a delivery stands after an attempt; a settled one keeps its outcome. */
export function settleDelivery(db: Db | Trx, id: string, status: WebhookDeliveryStatus, attempts?: number) {
  return db
    .updateTable('webhook_deliveries')
    .set({
      status,
      ...(attempts === undefined ? {} : { attempts }),
      settled_at: status === 'pending' ? null : sql<Date>`now()`,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute()
}

/** The latest attempts at an endpoint's deliveries, newest first. */
export function attemptLog(db: Db, webhookId: string, limit: number) {
  return db
    .selectFrom('webhook_attempts as a')
    .innerJoin('webhook_deliveries as d', 'd.id', 'a.delivery_id')
    .select(['a.id', 'a.delivery_id', 'a.attempt', 'a.status_code', 'a.latency_ms', 'a.error', 'a.created_at'])
    .select(['d.event', 'd.status'])
    .where('a.webhook_id', '=', webhookId)
    .orderBy('a.id', 'desc')
    .limit(limit)
    .execute()
}

/** An endpoint's deliveries not yet settled (waiting for their next attempt). */
export async function pendingCount(db: Db, webhookId: string) {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('webhook_id', '=', webhookId)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Deletes up to `limit` deliveries settled more than `days` ago, their attempts with them; answers how many. */
export async function deleteSettledBefore(db: Db, days: number, limit: number) {
  const result = await db
    .deleteFrom('webhook_deliveries')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('status', '!=', 'pending')
        .where('settled_at', '<', sql<Date>`now() - make_interval(days => ${days})`)
        .limit(limit),
    )
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
