import { sql } from 'kysely'
import t from 'tap'
import { fanOut } from '../../src/modules/alerts/fanout.ts'
import { eventually, openQueue, setup, sleep } from '../helper.ts'
import { activeSubscriber, mailsTo, progressOf, publish, settled } from './helpers.ts'

t.test('SMTP answers 4xx to the first attempts: retried, then delivered exactly once', async (t) => {
  const env = await setup(t)
  await activeSubscriber(env, 'patient@example.org')
  env.smtp.respondWith(451, 3)
  const { alertId, headers } = await publish(env)
  await eventually(
    async () => mailsTo(env, 'patient@example.org').length === 2,
    30_000,
    'the alert after the 4xx answers',
  )
  const p = await settled(env, alertId, headers)
  t.match(p, { recipients: 1, sent: 1, failed: 0 })
  const row = await env.db.selectFrom('deliveries').select(['attempts', 'status']).executeTakeFirstOrThrow()
  t.equal(row.status, 'sent')
  t.equal(row.attempts, 4, 'three refusals and one success')
  await sleep(500)
  t.equal(mailsTo(env, 'patient@example.org').length, 2, 'the confirmation and one alert, no duplicate')
})

t.test('4xx in the middle of a batch: the sent stay sent, the rest are retried, nobody gets two', async (t) => {
  // One send at a time, so the refusals land inside the one batch of 40.
  const env = await setup(t, { env: { DELIVERY_CONCURRENCY: '1' } })
  await sql`
    insert into subscribers (email, email_key, status, topic_all, nonce, confirmed_at)
    select 'batch' || i || '@example.org', 'batch' || i || '@example.org', 'active', true, decode(md5('b' || i), 'hex'), now()
    from generate_series(1, 40) as i`.execute(env.db)
  const { alertId, headers } = await publish(env)
  await eventually(async () => env.smtp.messages.length >= 5, 15_000, 'the first sends')
  env.smtp.respondWith(451, 2)
  const p = await eventually(
    async () => {
      const now = await progressOf(env, alertId, headers)
      return now.sent === 40 ? now : undefined
    },
    30_000,
    'all 40 sent',
  )
  t.match(p, { recipients: 40, failed: 0, queued: 0 })
  const perRecipient = new Map<string, number>()
  for (const m of env.smtp.messages)
    for (const to of m.envelopeTo) perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1)
  t.equal(perRecipient.size, 40)
  t.same([...new Set(perRecipient.values())], [1], 'one alert each')
  const attempts = await env.db.selectFrom('deliveries').select('attempts').where('alert_id', '=', alertId).execute()
  t.ok(
    attempts.some((r) => r.attempts > 1),
    'the refused rows went back to the queue and were claimed again',
  )
  t.ok(
    attempts.some((r) => r.attempts === 1),
    'the rows sent before the refusal were not',
  )
})

t.test('SMTP answers 5xx: the delivery fails and the address is suppressed', async (t) => {
  const env = await setup(t)
  await activeSubscriber(env, 'bounce@example.org')
  env.smtp.respondWith(550, 1)
  const { alertId, headers } = await publish(env)
  const p = await eventually(async () => {
    const now = await progressOf(env, alertId, headers)
    return now.failed === 1 ? now : undefined
  }, 15_000)
  t.match(p, { recipients: 1, sent: 0, failed: 1 })
  const suppressed = await env.db.selectFrom('suppressions').select(['email_key', 'reason']).execute()
  t.same(suppressed, [{ email_key: 'bounce@example.org', reason: 'bounced' }])
  const dandong = {
    occurredOn: '2021-07-15',
    place: { name: 'Dandong', province: 'Liaoning', country: 'CN' },
    peopleCount: 180,
    kind: 'detention',
    summary: 'Held in Dandong.',
    confidence: 'credible',
  }
  const next = await publish(env, dandong)
  t.match(
    await settled(env, next.alertId, next.headers),
    { recipients: 1, sent: 0, suppressed: 1 },
    'the next alert is not sent',
  )

  // Subscribing again gets the usual answer and sends nothing: a bounced address is never written
  // to again (tests/erasure/suppressed.test.ts), and the bounce stays.
  const before = mailsTo(env, 'bounce@example.org').length
  const again = await env.app.inject({
    method: 'POST',
    url: '/api/v1/subscribers',
    payload: { email: 'bounce@example.org' },
  })
  t.equal(again.statusCode, 202)
  await eventually(async () => {
    const open = await env.db
      .selectFrom('outbox')
      .select('id')
      .where('kind', 'like', 'subscriber.%')
      .where('done_at', 'is', null)
      .execute()
    return open.length === 0
  })
  t.equal(mailsTo(env, 'bounce@example.org').length, before, 'no confirm link')
  t.same(
    await env.db.selectFrom('suppressions').select('reason').execute(),
    [{ reason: 'bounced' }],
    'the bounce stays',
  )
})

t.test('unsubscribed between fan-out and send: suppressed, not sent', async (t) => {
  const env = await setup(t)
  await activeSubscriber(env, 'leaves@example.org')
  await activeSubscriber(env, 'stays@example.org')
  await env.stopWorkers()
  const { alertId, headers } = await publish(env)
  // Fan out by hand while no worker runs, so the sends wait in the queue.
  const deliveries = openQueue(t, env, 'deliveries')
  t.equal(await fanOut(env.db, deliveries, alertId), 2)
  const sub = await env.db
    .selectFrom('subscribers')
    .select('id')
    .where('email', '=', 'leaves@example.org')
    .executeTakeFirstOrThrow()
  await env.db.updateTable('subscribers').set({ status: 'unsubscribed' }).where('id', '=', sub.id).execute()
  await env.db
    .insertInto('suppressions')
    .values({ email_key: 'leaves@example.org', reason: 'unsubscribed', detail: null })
    .execute()
  const before = env.smtp.messages.length
  await env.startWorkers()
  const p = await settled(env, alertId, headers)
  t.match(p, { recipients: 2, sent: 1, suppressed: 1 })
  t.same(
    env.smtp.messages.slice(before).flatMap((m) => m.envelopeTo),
    ['stays@example.org'],
  )
})

t.test('an organizer pauses, resumes and cancels an alert', async (t) => {
  const env = await setup(t)
  await activeSubscriber(env, 'one@example.org')
  await env.stopWorkers()
  const { alertId, headers } = await publish(env)
  const pause = await env.app.inject({ method: 'POST', url: `/api/v1/alerts/${alertId}/pause`, headers })
  t.equal(pause.statusCode, 200)
  t.equal(pause.json().status, 'paused')
  t.equal((await env.app.inject({ method: 'POST', url: `/api/v1/alerts/${alertId}/pause`, headers })).statusCode, 409)
  const before = env.smtp.messages.length
  await env.startWorkers()
  await eventually(async () => (await progressOf(env, alertId, headers)).recipients === 1)
  await sleep(1000)
  t.equal(env.smtp.messages.length, before, 'nothing is sent while paused')
  t.equal(
    (await env.app.inject({ method: 'POST', url: `/api/v1/alerts/${alertId}/resume`, headers })).json().status,
    'sending',
  )
  await eventually(async () => env.smtp.messages.length === before + 1, 15_000, 'the send after resume')

  await activeSubscriber(env, 'two@example.org')
  await env.stopWorkers()
  const second = await publish(env, {
    occurredOn: '2021-07-16',
    place: { name: 'Shenyang', province: 'Liaoning', country: 'CN' },
    peopleCount: 64,
    kind: 'detention',
    summary: 'Held in Shenyang.',
    confidence: 'credible',
  })
  await env.app.inject({ method: 'POST', url: `/api/v1/alerts/${second.alertId}/pause`, headers })
  await env.startWorkers()
  await eventually(async () => (await progressOf(env, second.alertId, headers)).recipients === 2)
  const cancelled = await env.app.inject({ method: 'POST', url: `/api/v1/alerts/${second.alertId}/cancel`, headers })
  t.equal(cancelled.json().status, 'cancelled')
  // A send that had claimed its row when the cancel came finds the alert cancelled on its retry.
  const p = await eventually(
    async () => {
      const now = await progressOf(env, second.alertId, headers)
      return now.cancelled === 2 ? now : undefined
    },
    20_000,
    'every unsent delivery to be cancelled',
  )
  t.equal(p.sent, 0, 'a cancelled alert sends nothing')
  t.equal(p.cancelled, 2, 'every unsent delivery is cancelled')
  t.equal((await env.app.inject({ url: '/api/v1/alerts/999999', headers })).statusCode, 404)
  t.equal((await env.app.inject({ url: `/api/v1/alerts/${alertId}` })).statusCode, 401)
})
