// The delivery log keeps a settled delivery (and its attempts) for WEBHOOK_LOG_DAYS, then forgets
// it; a delivery still waiting for an attempt stays whatever its age.
import { sql } from 'kysely'
import t from 'tap'
import { pruneWebhookLog, WEBHOOK_LOG_DAYS } from '../../src/modules/webhooks/service.ts'
import { setup } from '../helper.ts'

t.test('settled deliveries older than the log keeps go, with their attempts; pending ones stay', async (t) => {
  const env = await setup(t, { workers: false })
  const { id: webhookId } = await env.db
    .insertInto('webhooks')
    .values({ url: 'https://93.184.216.34/h', events: ['report.published'], secret: 'whsec_x' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const delivery = async (status: 'pending' | 'succeeded' | 'failed', daysAgo: number) => {
    const at = sql<Date>`now() - make_interval(days => ${daysAgo})`
    const { id } = await env.db
      .insertInto('webhook_deliveries')
      .values({ webhook_id: webhookId, event: 'report.published', payload: '{}', status, created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (status !== 'pending') {
      await env.db.updateTable('webhook_deliveries').set({ settled_at: at }).where('id', '=', id).execute()
    }
    await env.db
      .insertInto('webhook_attempts')
      .values({ delivery_id: id, webhook_id: webhookId, attempt: 1, status_code: 500, latency_ms: 3 })
      .execute()
    return id
  }
  await delivery('succeeded', WEBHOOK_LOG_DAYS + 1)
  await delivery('failed', WEBHOOK_LOG_DAYS + 5)
  const recent = await delivery('succeeded', WEBHOOK_LOG_DAYS - 1)
  const waiting = await delivery('pending', WEBHOOK_LOG_DAYS + 5)

  t.equal(await pruneWebhookLog(env.db), 2)
  const left = await env.db.selectFrom('webhook_deliveries').select('id').orderBy('id').execute()
  t.same(
    left.map((r) => r.id),
    [recent, waiting],
  )
  const attempts = await env.db.selectFrom('webhook_attempts').select('delivery_id').orderBy('delivery_id').execute()
  t.same(
    attempts.map((a) => a.delivery_id),
    [recent, waiting],
    'their attempts went with them',
  )
  t.equal(await pruneWebhookLog(env.db), 0, 'a second run finds nothing')
})
