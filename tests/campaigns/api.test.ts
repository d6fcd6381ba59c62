import t from 'tap'
import { campaignInput, openQueue, organizerAuth, setup } from '../helper.ts'
import { systemActor } from '../../src/modules/audit/service.ts'
import { closeExpiredCampaigns } from '../../src/modules/campaigns/service.ts'
import { createOrganizer } from '../../src/modules/organizers/service.ts'

t.test('organizer routes need a valid bearer token', async (t) => {
  const env = await setup(t, { workers: false })
  for (const authorization of [undefined, 'Bearer nope', 'Basic abc', 'Bearer ']) {
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/v1/campaigns',
      headers: authorization ? { authorization } : {},
      payload: campaignInput,
    })
    t.equal(res.statusCode, 401, String(authorization))
    t.equal(res.json().error, 'unauthorized')
  }
  t.equal((await env.db.selectFrom('campaigns').select('id').execute()).length, 0)
})

t.test('tokens are stored hashed, and a disabled account or revoked token stops at once', async (t) => {
  const env = await setup(t, { workers: false })
  const auth = await organizerAuth(env.db, 'jo@example.org')
  const token = auth.slice('Bearer '.length)
  const stored = await env.db.selectFrom('api_tokens').select('token_hash').executeTakeFirstOrThrow()
  t.equal(stored.token_hash.length, 32)
  t.notOk(stored.token_hash.toString('latin1').includes(token))
  const ok = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers: { authorization: auth },
    payload: campaignInput,
  })
  t.equal(ok.statusCode, 201)
  await env.db.updateTable('organizers').set({ disabled_at: new Date() }).execute()
  const off = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers: { authorization: auth },
    payload: { ...campaignInput, slug: 'another-one' },
  })
  t.equal(off.statusCode, 401)
})

t.test('create gives a draft; launch makes it public; close stops it', async (t) => {
  const env = await setup(t, { workers: false })
  const auth = await organizerAuth(env.db)
  const headers = { authorization: auth }
  const created = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers,
    payload: {
      ...campaignInput,
      deadline: '2099-01-01',
      locale: 'ko',
      translations: { en: { title: 'English title' } },
    },
  })
  t.equal(created.statusCode, 201)
  const c = created.json()
  t.same(Object.keys(c).sort(), [
    'asks',
    'deadline',
    'embedOrigins',
    'goal',
    'letter',
    'locale',
    'signatureCount',
    'slug',
    'status',
    'summary',
    'target',
    'targets',
    'title',
  ])
  t.equal(c.status, 'draft')
  t.equal(c.slug, 'free-the-detained-refugees', 'slug made from the title')
  t.equal(c.deadline, '2099-01-01T00:00:00.000Z')
  t.equal(c.signatureCount, 0)

  t.same((await env.app.inject({ url: '/api/v1/campaigns' })).json(), { campaigns: [] }, 'drafts are not listed')
  const taken = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers,
    payload: { ...campaignInput, slug: c.slug },
  })
  t.equal(taken.statusCode, 409)
  t.ok(taken.json().fields.slug)

  const launched = await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${c.slug}/launch`, headers })
  t.equal(launched.statusCode, 200)
  t.equal(launched.json().status, 'live')
  t.equal(
    (await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${c.slug}/launch`, headers })).statusCode,
    409,
  )
  const list = (await env.app.inject({ url: '/api/v1/campaigns' })).json()
  t.equal(list.campaigns.length, 1)
  const page = await env.app.inject({ url: `/campaigns/${c.slug}?lang=en` })
  t.match(page.body, /<h1>English title<\/h1>/, 'a translation is shown in its language')
  t.match(page.body, /<strong>Markdown<\/strong>/)
  t.notMatch(page.body, /<script>alert\(1\)/, 'raw HTML in Markdown is not rendered')

  const closed = await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${c.slug}/close`, headers })
  t.equal(closed.json().status, 'closed')
  t.equal((await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${c.slug}/close`, headers })).statusCode, 409)
  t.equal((await env.app.inject({ method: 'POST', url: '/api/v1/campaigns/nope/launch', headers })).statusCode, 404)
})

t.test('invalid campaign fields get 400 with each field named', async (t) => {
  const env = await setup(t, { workers: false })
  const headers = { authorization: await organizerAuth(env.db) }
  const cases: [string, Record<string, unknown>][] = [
    ['title', { title: '' }],
    ['asks', { asks: [] }],
    ['asks.0', { asks: [''] }],
    ['goal', { goal: 0 }],
    ['goal', { goal: 'many' }],
    ['deadline', { deadline: '2001-01-01' }],
    ['deadline', { deadline: 'tomorrow' }],
    ['slug', { slug: 'Not A Slug' }],
    ['locale', { locale: 'fr' }],
  ]
  for (const [field, patch] of cases) {
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/v1/campaigns',
      headers,
      payload: { ...campaignInput, ...patch },
    })
    t.equal(res.statusCode, 400, JSON.stringify(patch))
    t.ok(res.json().fields?.[field], `${field}: ${res.json().fields?.[field]}`)
  }
  t.equal((await env.db.selectFrom('campaigns').select('id').execute()).length, 0)
})

t.test('a live campaign past its deadline closes itself', async (t) => {
  const env = await setup(t, { workers: false })
  const headers = { authorization: await organizerAuth(env.db) }
  const res = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers,
    payload: { ...campaignInput, deadline: '2099-01-01' },
  })
  const { slug } = res.json()
  await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/launch`, headers })
  t.same(await closeExpiredCampaigns(env.db, systemActor('ticker')), [], 'nothing before the deadline')
  await env.db
    .updateTable('campaigns')
    .set({ deadline: new Date(Date.now() - 1000) })
    .execute()
  t.same(await closeExpiredCampaigns(env.db, systemActor('ticker')), [slug])
  t.equal((await env.app.inject({ url: `/api/v1/campaigns/${slug}` })).json().status, 'closed')
})

t.test('the deadline check and the session purge run as scheduled jobs in the workers', async (t) => {
  const env = await setup(t)
  const queue = openQueue(t, env, 'maintenance')
  const schedulers = await queue.getJobSchedulers()
  t.same(schedulers.map((s) => [s.key, s.every]).sort(), [
    ['close-expired-campaigns', 60000],
    ['close-letter-bundles', 600000],
    ['purge-expired-sessions', 3600000],
    ['purge-stale-personal-data', 3600000],
  ])
})

t.test('organizer:create refuses a second account for the same address', async (t) => {
  const env = await setup(t, { workers: false })
  await createOrganizer(env.db, systemActor('cli'), { email: 'a@example.org', name: 'A', role: 'admin' })
  await t.rejects(createOrganizer(env.db, systemActor('cli'), { email: 'A@example.org ', name: 'A', role: 'admin' }), {
    code: 'conflict',
  })
})
