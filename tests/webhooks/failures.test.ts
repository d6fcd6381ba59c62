// A webhook endpoint that fails: answered 500 it is retried with the same webhook-id until it takes
// the event; one that hangs is cut off (WEBHOOK_TIMEOUT_MS, 10 s in production, shortened here);
// a redirect is a failed attempt, never followed; and an address that is not public is refused
// when sending too, whatever it was when registered (DNS can change).
import http from 'node:http'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { startWorkers } from '../../workers/start.ts'
import { eventually, loginAs, organizerAuth, setup, sleep, type TestEnv } from '../helper.ts'
import { register, startReceiver } from './receiver.ts'

const fast = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_MS: '100', WEBHOOK_TIMEOUT_MS: '400' }

async function testEvent(env: TestEnv, auth: string, id: string) {
  const res = await env.app.inject({
    method: 'POST',
    url: `/api/v1/webhooks/${id}/test`,
    headers: { authorization: auth },
  })
  if (res.statusCode !== 202) throw new Error(`test event refused: ${res.body}`)
  return res.json<{ deliveryId: string }>().deliveryId
}

function attemptsOf(env: TestEnv, deliveryId: string) {
  return env.db
    .selectFrom('webhook_attempts')
    .select(['attempt', 'status_code', 'error', 'latency_ms'])
    .where('delivery_id', '=', deliveryId)
    .orderBy('id')
    .execute()
}

function statusOf(env: TestEnv, deliveryId: string) {
  return env.db
    .selectFrom('webhook_deliveries')
    .select(['status', 'attempts'])
    .where('id', '=', deliveryId)
    .executeTakeFirstOrThrow()
}

t.test('an endpoint answering 500 is retried, signed each time, until it answers 200', async (t) => {
  const env = await setup(t, { env: fast })
  const receiver = await startReceiver(t)
  const auth = await organizerAuth(env.db)
  const { id, secret } = await register(env, auth, receiver.url, ['report.published'])
  receiver.secret = secret
  receiver.answer(500, 503)
  const deliveryId = await testEvent(env, auth, id)
  await eventually(async () => (await statusOf(env, deliveryId)).status === 'succeeded', 15_000, 'the delivery')
  t.equal(receiver.received.length, 3, 'three requests: 500, 503, 200')
  t.ok(
    receiver.received.every((r) => r.verified),
    'each verifies with standardwebhooks',
  )
  t.equal(new Set(receiver.received.map((r) => r.id)).size, 1, 'one webhook-id across attempts')
  t.match(receiver.received[0]!.verified, { type: 'webhook.test', data: { webhookId: id } })
  const attempts = await attemptsOf(env, deliveryId)
  t.match(attempts, [
    { attempt: 1, status_code: 500, error: 'HTTP 500' },
    { attempt: 2, status_code: 503 },
    { attempt: 3, status_code: 200, error: null },
  ])
  t.match(await statusOf(env, deliveryId), { status: 'succeeded', attempts: 3 })
  const outbox = await env.db
    .selectFrom('outbox')
    .select(['kind', 'done_at'])
    .where('kind', '=', 'webhook.deliver')
    .execute()
  t.ok(outbox.length === 1 && outbox[0]!.done_at, 'the outbox row is done')

  // The console's delivery log shows each attempt with its answer.
  const { client } = await loginAs(env, 'organizer')
  const page = await client.get(`/admin/webhooks/${id}`)
  t.equal(page.statusCode, 200)
  t.match(page.body, /webhook\.test/)
  for (const code of ['500', '503', '200']) t.match(page.body, new RegExp(`>${code}<`), `answer ${code} shown`)
  t.match(page.body, /Delivered/)
})

t.test('an endpoint that never answers is cut off at the timeout and tried again', async (t) => {
  const env = await setup(t, { env: fast })
  const receiver = await startReceiver(t)
  const auth = await organizerAuth(env.db)
  const { id, secret } = await register(env, auth, receiver.url, ['report.published'])
  receiver.secret = secret
  receiver.answer('hang')
  const deliveryId = await testEvent(env, auth, id)
  await eventually(async () => (await statusOf(env, deliveryId)).status === 'succeeded', 15_000, 'the delivery')
  const [first, second] = await attemptsOf(env, deliveryId)
  t.match(first, { attempt: 1, status_code: null, error: 'no answer within 400 ms' })
  t.ok(first!.latency_ms >= 390 && first!.latency_ms < 2000, `cut off after ${first!.latency_ms} ms`)
  t.match(second, { attempt: 2, status_code: 200 })
})

t.test('a redirect, even to 127.0.0.1, is a failed attempt and never followed', async (t) => {
  const env = await setup(t, { env: fast })
  let followed = 0
  const inner = http.createServer((_req, res) => {
    followed++
    res.end('ok')
  })
  inner.listen(0, '127.0.0.1')
  await once(inner, 'listening')
  t.teardown(() => new Promise((resolve) => inner.close(resolve)))
  const location = `http://127.0.0.1:${(inner.address() as AddressInfo).port}/admin`

  const receiver = await startReceiver(t)
  const auth = await organizerAuth(env.db)
  const { id, secret } = await register(env, auth, receiver.url, ['report.published'])
  receiver.secret = secret
  receiver.answer({ status: 302, location }, { status: 307, location })
  const deliveryId = await testEvent(env, auth, id)
  await eventually(async () => (await statusOf(env, deliveryId)).status === 'succeeded', 15_000, 'the delivery')
  t.equal(followed, 0, 'the redirect target was never asked')
  t.match(await attemptsOf(env, deliveryId), [
    { status_code: 302, error: 'redirect not followed' },
    { status_code: 307, error: 'redirect not followed' },
    { status_code: 200 },
  ])
})

t.test('an address that is not public is refused at send time, once; no retry', async (t) => {
  // Registered while private addresses were allowed (as DNS might have said "public" then)...
  const env = await setup(t, { workers: false, env: fast })
  const receiver = await startReceiver(t)
  const auth = await organizerAuth(env.db)
  const byName = await register(env, auth, `http://localhost:${receiver.port}/hook`, ['report.published'])
  const byAddress = await register(env, auth, receiver.url, ['report.published'])
  const byMappedAddress = await register(env, auth, `http://[::ffff:127.0.0.1]:${receiver.port}/hook`, [
    'report.published',
  ])
  // ...and sent by a worker that does not allow them: only the connect-time check stands in the way.
  const silent = { info() {}, warn() {}, error() {} }
  const workers = await startWorkers({
    config: { ...env.config, webhookAllowPrivate: false },
    db: env.db,
    logger: silent,
  })
  t.teardown(() => workers.close())
  const deliveries = []
  for (const w of [byName, byAddress, byMappedAddress]) deliveries.push(await testEvent(env, auth, w.id))
  for (const d of deliveries) {
    await eventually(async () => (await statusOf(env, d)).status === 'failed', 15_000, 'the refusal')
  }
  await sleep(500)
  t.equal(receiver.received.length, 0, 'nothing reached the endpoint')
  for (const d of deliveries) {
    t.match(await attemptsOf(env, d), [{ attempt: 1, status_code: null, error: 'refused: not a public address' }])
    t.match(await statusOf(env, d), { status: 'failed', attempts: 1 }, 'given up at once')
  }
})

t.test('a disabled webhook gets no event; a deleted one takes its pending deliveries with it', async (t) => {
  const env = await setup(t, { env: fast })
  const receiver = await startReceiver(t)
  const auth = await organizerAuth(env.db)
  const { id, secret } = await register(env, auth, receiver.url, ['campaign.launched'])
  receiver.secret = secret
  const { client } = await loginAs(env, 'organizer')
  await client.get(`/admin/webhooks/${id}`)
  t.equal((await client.post(`/admin/webhooks/${id}/disable`)).statusCode, 303)
  const refused = await env.app.inject({
    method: 'POST',
    url: `/api/v1/webhooks/${id}/test`,
    headers: { authorization: auth },
  })
  t.equal(refused.statusCode, 409)
  t.match(refused.json().message, /disabled/)
  const created = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers: { authorization: auth },
    payload: { title: 'T', summary: 'S', body: 'B', target: 'X', asks: ['a'], goal: 5, slug: 'disabled-hook' },
  })
  t.equal(created.statusCode, 201)
  const launched = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns/disabled-hook/launch',
    headers: { authorization: auth },
  })
  t.equal(launched.statusCode, 200, 'the campaign launched: an event a listening webhook would get')
  await sleep(600)
  t.equal(receiver.received.length, 0)
  t.equal((await env.db.selectFrom('webhook_deliveries').select('id').execute()).length, 0, 'no delivery written')
  t.equal((await client.post(`/admin/webhooks/${id}/enable`)).statusCode, 303)
  receiver.answer(...Array<number>(20).fill(500))
  await testEvent(env, auth, id)
  await receiver.waitFor(2)
  t.equal((await client.post(`/admin/webhooks/${id}/delete`)).statusCode, 303)
  t.equal((await env.db.selectFrom('webhook_deliveries').select('id').execute()).length, 0, 'its deliveries went')
  const heard = receiver.received.length
  await sleep(1000)
  t.ok(receiver.received.length <= heard + 1, 'and the retries stop (one may have been in flight)')
  const audit = await env.db.selectFrom('audit_log').select('action').where('object_type', '=', 'webhook').execute()
  t.same(audit.map((a) => a.action).sort(), [
    'webhook.create',
    'webhook.delete',
    'webhook.disable',
    'webhook.enable',
    'webhook.test',
  ])
})
