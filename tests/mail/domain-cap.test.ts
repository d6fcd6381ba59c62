// The mail bomb of issue 19: MAIL_DOMAIN_PER_MINUTE, one recipient domain's share of the mail queue.
import t from 'tap'
import { eventually, liveCampaign, openQueue, setup, sleep } from '../helper.ts'
import { routes } from '../signatures/mail-bomb.ts'

t.test('past the cap, a domain’s emails are delayed to a later minute, not dropped or failed', async (t) => {
  const env = await setup(t, { env: { MAIL_DOMAIN_PER_MINUTE: '2' } })
  const slug = await liveCampaign(env)
  const r = routes(env, slug)
  for (const name of ['ann', 'bo', 'cy', 'di', 'ed']) await r.signApi(`${name}@corp.example`)
  await r.signApi('someone@elsewhere.example')
  await env.smtp.waitFor(3)
  const queue = openQueue(t, env, 'mail')
  const delayed = await eventually(async () => {
    const jobs = await queue.getJobs(['delayed'])
    return jobs.length === 3 ? jobs : undefined
  })
  await sleep(300)
  const atCorp = env.smtp.messages.filter((m) => m.envelopeTo[0]!.endsWith('@corp.example'))
  t.equal(atCorp.length, 2, 'two to corp.example this minute')
  t.equal(env.smtp.messages.length, 3, 'the other domain is not held back')
  for (const job of delayed) {
    t.equal(job.attemptsMade, 0, 'a delay spends no attempt')
    t.notOk(job.failedReason, 'not failed')
    const score = await env.app.redis.zscore(`${env.config.queuePrefix}:mail:delayed`, job.id!)
    t.ok(Math.floor(Number(score) / 0x1000) > Date.now(), 'held to a later time')
  }
  t.equal((await queue.getJobs(['failed'])).length, 0)
  t.equal(
    (await env.db.selectFrom('outbox').select('id').where('done_at', 'is', null).execute()).length,
    3,
    'their outbox rows wait, not done',
  )

  // Run now, still within the full minute: they wait again.
  for (const job of delayed) await job.promote()
  await eventually(async () => (await queue.getJobs(['delayed'])).length === 3 || undefined)
  t.equal(env.smtp.messages.length, 3, 'still nothing more this minute')
  for (const job of await queue.getJobs(['delayed'])) t.equal(job.attemptsMade, 0)

  // A new minute (its count gone): they go out.
  const counters = await env.app.redis.keys(`${env.config.queuePrefix}:mail-pace:*`)
  t.ok(counters.length > 0)
  t.notOk(
    counters.some((k) => k.includes('ann') || k.includes('@') || k.includes('corp')),
    'counted under a keyed hash of the domain, never the address or the domain in clear',
  )
  await env.app.redis.del(...counters)
  for (const job of await queue.getJobs(['delayed'])) await job.promote()
  await env.smtp.waitFor(5)
  await eventually(async () => (await queue.getJobs(['delayed'])).length === 1 || undefined)
  t.equal(env.smtp.messages.length, 5, 'two more in the new minute, the last one waits for the next')
  t.equal((await queue.getJobs(['failed'])).length, 0)
})

t.test(
  'a large shared provider is not capped: a viral campaign’s confirmations to gmail.com are not held back',
  async (t) => {
    const env = await setup(t, { env: { MAIL_DOMAIN_PER_MINUTE: '2' } })
    const slug = await liveCampaign(env)
    const r = routes(env, slug)
    for (const name of ['ann', 'bo', 'cy', 'di', 'ed']) await r.signApi(`${name}@gmail.com`)
    await env.smtp.waitFor(5)
    t.equal((await openQueue(t, env, 'mail').getJobs(['delayed'])).length, 0, 'none delayed')
  },
)
