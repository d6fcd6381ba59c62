import t from 'tap'
import { liveCampaign, setup, signer, sleep } from '../helper.ts'
import { privateRedis } from './private-redis.ts'

t.test('Redis stopped while signing: the signature is kept and its email sent once Redis is back', async (t) => {
  const redis = await privateRedis(t)
  const env = await setup(t, { env: { REDIS_URL: redis.url } })
  const slug = await liveCampaign(env)

  await redis.stop()
  const ready = await env.app.inject({ url: '/readyz' })
  t.equal(ready.statusCode, 503, 'not ready without Redis')

  const res = await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: signer })
  t.equal(res.statusCode, 202, 'signing does not need Redis')
  t.equal((await env.db.selectFrom('signatures').select('id').execute()).length, 1, 'the signature is kept')

  await sleep(1000) // the relay tries and fails meanwhile
  const waiting = await env.db.selectFrom('outbox').select(['relayed_at']).execute()
  t.equal(waiting.length, 1)
  t.equal(waiting[0]!.relayed_at, null, 'the email waits in the outbox')
  t.equal(env.smtp.messages.length, 0)

  await redis.start()
  const [mail] = await env.smtp.waitFor(1, 30_000)
  t.match(mail!.parsed.subject, /Confirm your signature/)
  await sleep(1500)
  t.equal(env.smtp.messages.length, 1, 'sent exactly once')
  const done = await env.db.selectFrom('outbox').select(['relayed_at', 'done_at']).executeTakeFirstOrThrow()
  t.ok(done.relayed_at)
  t.ok(done.done_at)
})
