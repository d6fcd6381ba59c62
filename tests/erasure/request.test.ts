// The request form: the same answer whatever the address, no address in Redis, the link only to
// an address we hold, at most one per cooldown, and bad input refused without writing anything.
import t from 'tap'
import { liveCampaign, mailJobsInRedis, setup, sleep } from '../helper.ts'
import { mailsTo, nthMailTo, requestErasure, requestsSettled, sign } from './helpers.ts'

const held = { name: 'Choi Eun-ji', email: 'eunji.choi@example.org', country: 'KR' }
const stranger = 'nobody.here@example.org'

t.test('the answer is byte-identical for an address with and without data; only the held one is mailed', async (t) => {
  const env = await setup(t)
  const slug = await liveCampaign(env)
  await sign(env, slug, held)

  const withData = await requestErasure(env, held.email)
  const without = await requestErasure(env, stranger)
  t.equal(withData.statusCode, 200)
  t.equal(without.statusCode, withData.statusCode, 'same status')
  t.equal(without.body, withData.body, 'same bytes')
  t.equal(without.headers['content-type'], withData.headers['content-type'])
  t.equal(without.headers['content-length'], withData.headers['content-length'])

  await requestsSettled(env)
  await nthMailTo(env, held.email, 2)
  await sleep(200)
  t.equal(mailsTo(env, stranger).length, 0, 'nothing is sent to an address we hold nothing for')
  const requests = await env.db.selectFrom('erasure_requests').select(['email_key', 'emailed_at']).execute()
  t.same(
    requests.map((r) => r.email_key),
    [held.email],
    "the stranger's request is deleted with its address",
  )
  t.ok(requests[0]!.emailed_at)
})

t.test('jobs and outbox rows carry the request id, never the address', async (t) => {
  const env = await setup(t, { workers: false })
  await requestErasure(env, held.email)
  const [row] = await env.db.selectFrom('outbox').select(['kind', 'payload']).execute()
  t.equal(row!.kind, 'erasure.request')
  t.same(Object.keys(row!.payload), ['requestId'])

  // SMTP refusing and nothing sent: the job stays in Redis to be read.
  env.smtp.respondWith(451)
  await env.startWorkers()
  const { jobs, dump: dumpOf } = await mailJobsInRedis(t, env)
  t.equal(jobs.length, 1)
  t.same(Object.keys(jobs[0]!.data), ['outboxId'])
  const dump = await dumpOf(jobs[0]!)
  t.ok(dump.includes('outboxId'), 'the job hash was read')
  t.notOk(dump.toLowerCase().includes('example.org'), 'no address anywhere in the job hash')
})

t.test('a second request within the email cooldown sends no second email', async (t) => {
  const env = await setup(t, { env: { EMAIL_COOLDOWN_SECONDS: '600' } })
  const slug = await liveCampaign(env)
  await sign(env, slug, held)
  await requestErasure(env, held.email)
  await nthMailTo(env, held.email, 2)
  const again = await requestErasure(env, held.email.toUpperCase())
  t.equal(again.statusCode, 200)
  await requestsSettled(env)
  await sleep(200)
  t.equal(mailsTo(env, held.email).length, 2, 'the first link still works; no second one')
  t.equal(
    (await env.db.selectFrom('erasure_requests').select('id').execute()).length,
    1,
    'the second request is forgotten',
  )
})

t.test('an invalid address re-renders the form with its error (400) and writes nothing', async (t) => {
  const env = await setup(t, { workers: false })
  const form = await env.app.inject({ url: '/privacy/erase' })
  t.equal(form.statusCode, 200)
  t.match(form.body, /<form method="post" action="\/privacy\/erase"/)

  const bad = await requestErasure(env, 'not-an-address')
  t.equal(bad.statusCode, 400)
  t.match(bad.body, /Enter a valid email address\./)
  t.match(
    bad.body,
    /id="email"[^>]*value="not-an-address"[^>]*aria-invalid="true"/,
    'what was typed is kept, the field marked',
  )

  const ko = await env.app.inject({
    method: 'POST',
    url: '/privacy/erase?lang=ko',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'email=',
  })
  t.equal(ko.statusCode, 400)
  t.match(ko.body, /필수 항목입니다/, "the error in the reader's language: empty is required, not invalid")

  const cases: [string, string][] = [
    ['a NUL', `email=${encodeURIComponent('a\u0000b@example.org')}`],
    ['an overlong address', `email=${'x'.repeat(5000)}%40example.org`],
    ['an address twice', 'email=a%40example.org&email=b%40example.org'],
    ['no field at all', ''],
  ]
  for (const [what, payload] of cases) {
    const res = await env.app.inject({
      method: 'POST',
      url: '/privacy/erase',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload,
    })
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${what}: ${res.statusCode}`)
  }
  const json = await env.app.inject({
    method: 'POST',
    url: '/privacy/erase',
    payload: { email: 'a\u0000b@example.org' },
  })
  t.equal(json.statusCode, 400, 'a NUL in JSON too')
  t.equal((await env.db.selectFrom('erasure_requests').select('id').execute()).length, 0, 'no request written')
  t.equal((await env.db.selectFrom('outbox').select('id').execute()).length, 0, 'no outbox row written')
})

t.test('the form is rate-limited like signing', async (t) => {
  const env = await setup(t, { workers: false, env: { RATE_LIMIT_PER_MINUTE: '2' } })
  const answers = []
  for (let i = 0; i < 3; i++) answers.push((await requestErasure(env, `r${i}@example.org`)).statusCode)
  t.same(answers, [200, 200, 429])
})
