// A delivery whose endpoint keeps failing is retried with exponential backoff for about a day and
// then given up: shown as such in the log, its outbox row done, no further request.
import t from 'tap'
import { parseConfig } from '../../src/config.ts'
import { webhookJob } from '../../src/jobs/index.ts'
import { eventually, organizerAuth, setup, sleep } from '../helper.ts'
import { register, startReceiver } from './receiver.ts'

t.test('by default the retries span about a day', async (t) => {
  const { webhookRetryMs, webhookTimeoutMs } = parseConfig({})
  t.equal(webhookTimeoutMs, 10_000, 'an endpoint has 10 s to answer')
  // BullMQ's exponential backoff: the n-th retry waits delay * 2^(n-1).
  let waited = 0
  for (let retry = 1; retry < webhookJob.attempts; retry++) waited += webhookRetryMs * 2 ** (retry - 1)
  const hours = waited / 3_600_000
  t.ok(hours > 20 && hours < 26, `the last attempt comes ${hours.toFixed(1)} h after the first`)
})

t.test('after its last attempt a delivery is given up', async (t) => {
  // 1 ms doubling: the 15 attempts take some 16 s instead of a day.
  const env = await setup(t, { env: { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_MS: '1' } })
  const receiver = await startReceiver(t)
  const auth = await organizerAuth(env.db)
  const { id, secret } = await register(env, auth, receiver.url, ['report.published'])
  receiver.secret = secret
  receiver.answer(...Array<number>(100).fill(500))
  const sent = await env.app.inject({
    method: 'POST',
    url: `/api/v1/webhooks/${id}/test`,
    headers: { authorization: auth },
  })
  const { deliveryId } = sent.json<{ deliveryId: string }>()
  const delivery = () =>
    env.db
      .selectFrom('webhook_deliveries')
      .select(['status', 'attempts'])
      .where('id', '=', deliveryId)
      .executeTakeFirstOrThrow()
  await eventually(async () => (await delivery()).status === 'failed', 60_000, 'the delivery to be given up')
  t.same(await delivery(), { status: 'failed', attempts: webhookJob.attempts })
  await sleep(500)
  t.equal(receiver.received.length, webhookJob.attempts, `${webhookJob.attempts} requests, then none`)
  t.ok(
    receiver.received.every((r) => r.verified),
    'each signed',
  )
  const outbox = await env.db.selectFrom('outbox').select('done_at').where('kind', '=', 'webhook.deliver').execute()
  t.ok(outbox[0]?.done_at, 'its outbox row is done')
  const log = await env.app.inject({ url: `/api/v1/webhooks/${id}/deliveries`, headers: { authorization: auth } })
  t.equal(log.json().attempts.length, webhookJob.attempts)
  t.match(log.json().attempts[0], { attempt: webhookJob.attempts, statusCode: 500, delivery: 'failed' })
})
