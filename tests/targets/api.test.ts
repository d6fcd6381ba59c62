import t from 'tap'
import { campaignInput, organizerAuth, setup } from '../helper.ts'

const ministry = {
  name: 'Minister of Foreign Affairs',
  title: 'Minister',
  organisation: 'Ministry of Foreign Affairs',
  country: 'cn',
  locale: 'zh',
  email: 'minister-demo@example.org',
  postalAddress: '2 Example Street\nBeijing',
  website: 'https://www.example.org/mfa',
  platformOnly: true,
}

t.test('the targets API needs an organizer token', async (t) => {
  const env = await setup(t, { workers: false })
  for (const authorization of [undefined, 'Bearer nope']) {
    const headers = authorization ? { authorization } : {}
    const created = await env.app.inject({ method: 'POST', url: '/api/v1/targets', headers, payload: ministry })
    t.equal(created.statusCode, 401, `POST with ${String(authorization)}`)
    t.equal(created.json().error, 'unauthorized')
    const listed = await env.app.inject({ url: '/api/v1/targets', headers })
    t.equal(listed.statusCode, 401, `GET with ${String(authorization)}`)
  }
  t.equal((await env.db.selectFrom('targets').select('id').execute()).length, 0)
})

t.test('an organizer creates and lists targets; each create is audited', async (t) => {
  const env = await setup(t, { workers: false })
  const headers = { authorization: await organizerAuth(env.db, 'jo@example.org') }
  const created = await env.app.inject({ method: 'POST', url: '/api/v1/targets', headers, payload: ministry })
  t.equal(created.statusCode, 201)
  const target = created.json()
  t.match(target.id, /^\d+$/)
  t.same(target, { ...ministry, id: target.id, country: 'CN' })

  const minimal = await env.app.inject({
    method: 'POST',
    url: '/api/v1/targets',
    headers,
    payload: { name: 'Representative', organisation: 'UNHCR', country: 'CN', locale: 'en', title: '', website: '' },
  })
  t.equal(minimal.statusCode, 201)
  t.same(
    { ...minimal.json(), id: 0 },
    {
      id: 0,
      name: 'Representative',
      title: null,
      organisation: 'UNHCR',
      country: 'CN',
      locale: 'en',
      email: null,
      postalAddress: null,
      website: null,
      platformOnly: false,
    },
    'what is absent or empty is null',
  )

  const list = await env.app.inject({ url: '/api/v1/targets', headers })
  t.equal(list.statusCode, 200)
  t.same(
    list.json().targets.map((x: { name: string }) => x.name),
    ['Minister of Foreign Affairs', 'Representative'],
  )
  t.same(list.json().targets[0], target, 'the list shows the same Target')

  const audit = await env.db
    .selectFrom('audit_log')
    .innerJoin('organizers', 'organizers.id', 'audit_log.actor_id')
    .select(['action', 'via', 'object_type', 'object_id', 'organizers.email'])
    .orderBy('audit_log.id')
    .execute()
  t.same(audit, [
    { action: 'target.create', via: 'api', object_type: 'target', object_id: target.id, email: 'jo@example.org' },
    {
      action: 'target.create',
      via: 'api',
      object_type: 'target',
      object_id: minimal.json().id,
      email: 'jo@example.org',
    },
  ])
})

t.test('bad input is refused with 400 naming each field, and nothing is stored', async (t) => {
  const env = await setup(t, { workers: false })
  const headers = { authorization: await organizerAuth(env.db) }
  const bad = await env.app.inject({
    method: 'POST',
    url: '/api/v1/targets',
    headers,
    payload: {
      name: '',
      title: 'x'.repeat(201),
      country: 'XX',
      locale: 'fr',
      email: 'not-an-address',
      postalAddress: 'y'.repeat(1001),
      website: 'javascript:alert(1)',
      platformOnly: 'yes',
    },
  })
  t.equal(bad.statusCode, 400)
  t.equal(bad.json().error, 'invalid_input')
  t.same(Object.keys(bad.json().fields).sort(), [
    'country',
    'email',
    'locale',
    'name',
    'organisation',
    'platformOnly',
    'postalAddress',
    'title',
    'website',
  ])
  t.match(bad.json().fields.website, /https:\/\//)
  for (const website of ['data:text/html,x', 'https://localhost/', 'ftp://example.org/']) {
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/v1/targets',
      headers,
      payload: { ...ministry, website },
    })
    t.equal(res.statusCode, 400, website)
    t.same(Object.keys(res.json().fields), ['website'])
  }
  t.equal((await env.db.selectFrom('targets').select('id').execute()).length, 0)
  t.equal((await env.db.selectFrom('audit_log').select('id').execute()).length, 0)
})

t.test('a campaign names its targets; its JSON shows them in order and never an email', async (t) => {
  const env = await setup(t, { workers: false })
  const headers = { authorization: await organizerAuth(env.db) }
  const make = async (name: string) =>
    (await env.app.inject({ method: 'POST', url: '/api/v1/targets', headers, payload: { ...ministry, name } })).json<{
      id: string
    }>().id
  const first = await make('First')
  const second = await make('Second')

  const unknown = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers,
    payload: { ...campaignInput, slug: 'unknown-targets', targets: [first, '999999'] },
  })
  t.equal(unknown.statusCode, 400)
  t.same(Object.keys(unknown.json().fields), ['targets'])
  const malformed = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers,
    payload: { ...campaignInput, slug: 'unknown-targets', targets: ['abc'] },
  })
  t.equal(malformed.statusCode, 400)
  t.same(Object.keys(malformed.json().fields), ['targets'])
  t.equal((await env.db.selectFrom('campaigns').select('id').execute()).length, 0, 'no campaign is half made')

  const created = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers,
    payload: { ...campaignInput, slug: 'with-targets', targets: [second, first] },
  })
  t.equal(created.statusCode, 201)
  const expected = [
    {
      id: second,
      name: 'Second',
      title: 'Minister',
      organisation: 'Ministry of Foreign Affairs',
      country: 'CN',
      locale: 'zh',
    },
    {
      id: first,
      name: 'First',
      title: 'Minister',
      organisation: 'Ministry of Foreign Affairs',
      country: 'CN',
      locale: 'zh',
    },
  ]
  t.same(created.json().targets, expected, 'in the order given')
  t.notMatch(created.body, /example\.org/, 'no email in the organizer’s Campaign')

  await env.app.inject({ method: 'POST', url: '/api/v1/campaigns/with-targets/launch', headers })
  const one = await env.app.inject({ url: '/api/v1/campaigns/with-targets' })
  t.same(one.json().targets, expected)
  t.notMatch(one.body, /example\.org|Example Street/, 'no email or postal address in the public Campaign')
  const list = await env.app.inject({ url: '/api/v1/campaigns' })
  t.same(list.json().campaigns[0].targets, expected)
  t.notMatch(list.body, /example\.org|Example Street/)

  const page = await env.app.inject({ url: '/campaigns/with-targets' })
  t.match(page.body, /<strong>Second<\/strong>, Minister/, 'the page lists who the campaign asks')
  t.notMatch(page.body, /example\.org|Example Street/, 'and shows no email or address yet')

  const audit = await env.db
    .selectFrom('audit_log')
    .select('detail')
    .where('action', '=', 'campaign.create')
    .executeTakeFirstOrThrow()
  t.same((audit.detail as { targets: string[] }).targets, [second, first])
})

t.test('a target name is escaped on the campaign page', async (t) => {
  const env = await setup(t, { workers: false })
  const headers = { authorization: await organizerAuth(env.db) }
  const target = await env.app.inject({
    method: 'POST',
    url: '/api/v1/targets',
    headers,
    payload: { ...ministry, name: '<img src=x onerror=alert(1)>' },
  })
  await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers,
    payload: { ...campaignInput, slug: 'escaped', targets: [target.json().id] },
  })
  await env.app.inject({ method: 'POST', url: '/api/v1/campaigns/escaped/launch', headers })
  const page = await env.app.inject({ url: '/campaigns/escaped' })
  t.notMatch(page.body, /<img src=x/)
  t.match(page.body, /&lt;img src=x onerror=alert\(1\)&gt;/)
})
