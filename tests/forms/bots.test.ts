// The honeypot and the signed render time on the public forms: a bot is answered as a person
// is, nothing is written or sent, and the attempt is counted for the console.
import t from 'tap'
import { FORM_STAMP_FIELD, HONEYPOT_FIELD, formStamp, stampTime } from '../../src/modules/form-guard/service.ts'
import { liveCampaign, loginAs, setup, signer, type TestEnv } from '../helper.ts'

const form = (fields: Record<string, string>) => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams(fields).toString(),
})

// The minimum as shipped: the helper turns it off for the other tests, which post at once.
const guarded = { workers: false, env: { FORM_MIN_SECONDS: '3' } } as const

function stampIn(html: string): string {
  const match = new RegExp(`name="${FORM_STAMP_FIELD}" value="([^"]+)"`).exec(html)
  if (!match) throw new Error('no render stamp in the form')
  return match[1]!
}

/** A stamp as the form would carry it had it been rendered a minute ago: a person who took their time. */
const aMinuteAgo = (env: TestEnv) => formStamp(env.config, Date.now() - 60_000)

const rows = async (env: TestEnv) => ({
  signatures: (await env.db.selectFrom('signatures').select('email').execute()).map((r) => r.email),
  outbox: (await env.db.selectFrom('outbox').select('kind').execute()).map((r) => r.kind),
  subscribers: (await env.db.selectFrom('subscribers').select('email').execute()).map((r) => r.email),
})

const refusals = (env: TestEnv) =>
  env.db
    .selectFrom('form_refusals')
    .select(['form', 'campaign_id', 'reason', 'count'])
    .orderBy('reason')
    .execute()
    .then((r) => r.map((x) => ({ ...x, count: Number(x.count) })))

async function sign(env: TestEnv, slug: string, fields: Record<string, string>) {
  return env.app.inject({ method: 'POST', url: `/campaigns/${slug}`, ...form({ ...signer, ...fields }) })
}

t.test(
  'a bot that fills the honeypot gets the page a person gets; nothing is stored or sent; it is counted',
  async (t) => {
    const env = await setup(t, guarded)
    const slug = await liveCampaign(env)
    const campaign = await env.db.selectFrom('campaigns').select('id').executeTakeFirstOrThrow()
    const person = await sign(env, slug, { email: 'person@example.org', [FORM_STAMP_FIELD]: aMinuteAgo(env) })
    const bot = await sign(env, slug, {
      email: 'bot@example.org',
      [FORM_STAMP_FIELD]: aMinuteAgo(env),
      [HONEYPOT_FIELD]: 'https://spam.example',
    })
    t.equal(bot.statusCode, person.statusCode)
    t.equal(bot.headers.location, person.headers.location)
    t.equal(bot.body, person.body)
    t.same(await rows(env), { signatures: ['person@example.org'], outbox: ['signature.confirm'], subscribers: [] })
    t.same(await refusals(env), [{ form: 'signature', campaign_id: campaign.id, reason: 'honeypot', count: 1 }])
  },
)

t.test('a submit right after the page was rendered is dropped silently and counted', async (t) => {
  const env = await setup(t, guarded)
  const slug = await liveCampaign(env)
  const page = await env.app.inject({ url: `/campaigns/${slug}` })
  const stamp = stampIn(page.body)
  t.ok(stampTime(env.config, stamp), 'the blank form carries a valid stamp')
  const res = await sign(env, slug, { [FORM_STAMP_FIELD]: stamp })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, `/campaigns/${slug}/thanks`)
  t.same(await rows(env), { signatures: [], outbox: [], subscribers: [] })
  t.same(
    (await refusals(env)).map((r) => [r.reason, r.count]),
    [['too-fast', 1]],
  )
})

t.test('a forged or missing stamp is dropped silently and counted', async (t) => {
  const env = await setup(t, guarded)
  const slug = await liveCampaign(env)
  const real = aMinuteAgo(env)
  const [at, mac] = real.split('.')
  const forged = [
    `${Number(at) - 1000}.${mac}`, // an earlier time under the real MAC
    `${at}.${'A'.repeat(21)}A`, // a MAC of our own
    formStamp({ secretKey: 'someone-elses-secret-key-of-32-characters-or-more' }, Date.now() - 60_000),
    'garbage',
  ]
  for (const stamp of forged) {
    const res = await sign(env, slug, { [FORM_STAMP_FIELD]: stamp })
    t.equal(res.statusCode, 303, stamp)
    t.equal(res.headers.location, `/campaigns/${slug}/thanks`)
  }
  await sign(env, slug, {})
  t.same(await rows(env), { signatures: [], outbox: [], subscribers: [] })
  t.same(
    (await refusals(env)).map((r) => [r.reason, r.count]),
    [['bad-stamp', 5]],
  )
})

t.test('a person who took the minimum time signs; an old stamp is fine', async (t) => {
  const env = await setup(t, guarded)
  const slug = await liveCampaign(env)
  const justEnough = formStamp(env.config, Date.now() - 3_000)
  const aWeek = formStamp(env.config, Date.now() - 7 * 86_400_000)
  await sign(env, slug, { email: 'quick@example.org', [FORM_STAMP_FIELD]: justEnough })
  await sign(env, slug, { email: 'left-open@example.org', [FORM_STAMP_FIELD]: aWeek })
  t.same((await rows(env)).signatures.sort(), ['left-open@example.org', 'quick@example.org'])
  t.same(await refusals(env), [])
})

t.test('FORM_MIN_SECONDS=0 turns the time check off; the honeypot stays', async (t) => {
  const env = await setup(t, { workers: false, env: { FORM_MIN_SECONDS: '0' } })
  const slug = await liveCampaign(env)
  await sign(env, slug, { email: 'no-stamp@example.org' })
  await sign(env, slug, { email: 'bot@example.org', [HONEYPOT_FIELD]: 'x' })
  t.same((await rows(env)).signatures, ['no-stamp@example.org'])
  t.same(
    (await refusals(env)).map((r) => r.reason),
    ['honeypot'],
  )
})

t.test('a form re-rendered with errors keeps what was typed and carries a stamp that still counts', async (t) => {
  const env = await setup(t, guarded)
  const slug = await liveCampaign(env)
  const page = await env.app.inject({ url: `/campaigns/${slug}` })
  const first = stampIn(page.body)
  const res = await sign(env, slug, { email: 'bad@', comment: 'kept text', [FORM_STAMP_FIELD]: aMinuteAgo(env) })
  t.equal(res.statusCode, 400)
  t.match(res.body, /value="bad@"/)
  t.match(res.body, />kept text<\/textarea>/)
  const again = stampIn(res.body)
  t.ok(stampTime(env.config, again), 'a valid stamp')
  t.ok(stampTime(env.config, again)! <= Date.now() - 59_000, 'the time the person has already spent still counts')
  t.match(res.body, new RegExp(`name="${HONEYPOT_FIELD}" [^>]*value=""`), 'the honeypot comes back empty')
  // Refused with a stamp that does not verify, the form gets a fresh one.
  const forged = await sign(env, slug, { email: 'bad@', [FORM_STAMP_FIELD]: 'garbage' })
  t.equal(forged.statusCode, 400)
  t.ok(stampTime(env.config, stampIn(forged.body))! >= stampTime(env.config, first)!)
  const fixed = await sign(env, slug, { email: 'good@example.org', [FORM_STAMP_FIELD]: again })
  t.equal(fixed.statusCode, 303)
  t.same((await rows(env)).signatures, ['good@example.org'])
})

t.test('the JSON API keeps its contract: no stamp, no honeypot', async (t) => {
  const env = await setup(t, guarded)
  const slug = await liveCampaign(env)
  const res = await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: signer })
  t.equal(res.statusCode, 202)
  const sub = await env.app.inject({ method: 'POST', url: '/api/v1/subscribers', payload: { email: 'a@example.org' } })
  t.equal(sub.statusCode, 202)
  const r = await rows(env)
  t.equal(r.signatures.length, 1)
  t.equal(r.subscribers.length, 1)
})

t.test('the subscription form: honeypot, too fast and forged are answered as usual and counted', async (t) => {
  const env = await setup(t, guarded)
  const page = await env.app.inject({ url: '/alerts' })
  const fresh = stampIn(page.body)
  const person = await env.app.inject({
    method: 'POST',
    url: '/alerts',
    ...form({ email: 'person@example.org', [FORM_STAMP_FIELD]: aMinuteAgo(env) }),
  })
  t.equal(person.statusCode, 200)
  const attempts: Record<string, string>[] = [
    { email: 'honey@example.org', [FORM_STAMP_FIELD]: aMinuteAgo(env), [HONEYPOT_FIELD]: 'x' },
    { email: 'fast@example.org', [FORM_STAMP_FIELD]: fresh },
    { email: 'forged@example.org', [FORM_STAMP_FIELD]: 'garbage' },
  ]
  for (const fields of attempts) {
    const res = await env.app.inject({ method: 'POST', url: '/alerts', ...form(fields) })
    t.equal(res.statusCode, person.statusCode, fields.email!)
    t.equal(res.body, person.body)
  }
  const r = await rows(env)
  t.same(r.subscribers, ['person@example.org'])
  t.same(r.outbox, ['subscriber.confirm'])
  t.same(
    (await refusals(env)).map((x) => [x.form, x.campaign_id, x.reason, x.count]),
    [
      ['subscription', null, 'bad-stamp', 1],
      ['subscription', null, 'honeypot', 1],
      ['subscription', null, 'too-fast', 1],
    ],
  )
})

t.test("the console's signatures screen shows the dropped attempts by day and reason", async (t) => {
  const env = await setup(t, guarded)
  const slug = await liveCampaign(env)
  await sign(env, slug, { [FORM_STAMP_FIELD]: aMinuteAgo(env), [HONEYPOT_FIELD]: 'x' })
  await sign(env, slug, { [FORM_STAMP_FIELD]: aMinuteAgo(env), [HONEYPOT_FIELD]: 'y' })
  await sign(env, slug, {})
  const { client } = await loginAs(env, 'organizer')
  const res = await client.get(`/admin/campaigns/${slug}`)
  t.equal(res.statusCode, 200)
  const section = /<section[^>]*id="refused"[\s\S]*?<\/section>/.exec(res.body)?.[0] ?? ''
  t.match(section, /Hidden field filled in/)
  t.match(section, /Missing or forged form time/)
  t.match(section, /<td class="num">2<\/td>/)
  t.notMatch(section, /@/, 'no address')
})
