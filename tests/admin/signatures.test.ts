import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import t from 'tap'
import { loginAs, organizerAuth, setup, type TestEnv } from '../helper.ts'
import { flushCounts } from '../../src/modules/counts/service.ts'
import { hashIp } from '../../src/security.ts'

/** A launched campaign and signatures written straight to the table, counted as if confirmed by email. */
async function campaignWith(
  env: TestEnv,
  rows: {
    name: string
    email: string
    status: 'pending' | 'confirmed'
    ip?: string
    publicName?: boolean
    comment?: string
    at?: Date
  }[],
) {
  const { client } = await loginAs(env, 'organizer')
  await client.get('/admin/campaigns/new')
  await client.post('/admin/campaigns', {
    slug: 'flood',
    title: 'T',
    summary: 'S',
    target: 'X',
    asks: 'A',
    body: 'B',
    goal: '100',
    locale: 'en',
  })
  await client.post('/admin/campaigns/flood/launch')
  const campaign = await env.db.selectFrom('campaigns').select('id').executeTakeFirstOrThrow()
  for (const r of rows) {
    await env.db
      .insertInto('signatures')
      .values({
        campaign_id: campaign.id,
        name: r.name,
        email: r.email,
        email_key: r.email.toLowerCase(),
        country: 'KR',
        comment: r.comment ?? null,
        public_name: r.publicName ?? false,
        wants_alerts: false,
        locale: 'en',
        status: r.status,
        confirm_nonce: randomBytes(16),
        confirm_expires_at: new Date(Date.now() + 86_400_000),
        ip_hash: hashIp(env.config.secretKey, r.ip ?? `10.0.0.${Math.floor(Math.random() * 250)}`),
        created_at: r.at ?? new Date(),
        confirmed_at: r.status === 'confirmed' ? new Date() : null,
      })
      .execute()
    if (r.status === 'confirmed')
      await env.db.insertInto('signature_count_deltas').values({ campaign_id: campaign.id, delta: 1 }).execute()
  }
  await flushCounts(env.db)
  return { client, campaignId: campaign.id }
}

const count = async (env: TestEnv) =>
  Number((await env.db.selectFrom('campaigns').select('signature_count').executeTakeFirstOrThrow()).signature_count)

t.test('the table masks addresses and never shows the IP hash', async (t) => {
  const env = await setup(t, { workers: false })
  const { client } = await campaignWith(env, [
    { name: 'Kim', email: 'kim.minji@example.org', status: 'confirmed', ip: '192.0.2.7' },
  ])
  const res = await client.get('/admin/campaigns/flood/signatures')
  t.equal(res.statusCode, 200)
  t.match(res.body, /k\*\*\*@example\.org/)
  t.notMatch(res.body, /kim\.minji/)
  const hash = hashIp(env.config.secretKey, '192.0.2.7')!
  for (const form of [hash.toString('hex'), hash.toString('base64')]) t.notMatch(res.body, form)
  t.notMatch(res.body, /192\.0\.2\.7/)
  const show = await client.get('/admin/campaigns/flood')
  t.match(show.body, /<dt>Confirmed<\/dt><dd>1<\/dd>/)
  t.match(show.body, /South Korea/, 'counts by country')
})

t.test('CSV export: confirmed only, formula cells neutralised, same in the API, audited', async (t) => {
  const env = await setup(t, { workers: false })
  const { client } = await campaignWith(env, [
    {
      name: '=HYPERLINK("http://x","y")',
      email: 'a@example.org',
      status: 'confirmed',
      publicName: true,
      comment: '+1 from "us"',
    },
    { name: '@evil', email: 'b@example.org', status: 'confirmed', publicName: true, comment: '-2' },
    { name: 'Private Person', email: 'c@example.org', status: 'confirmed', comment: 'mine' },
    { name: 'Pending Person', email: 'd@example.org', status: 'pending', publicName: true },
  ])
  const res = await client.get('/admin/campaigns/flood/signatures.csv')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/csv/)
  t.match(res.headers['content-disposition'], /attachment; filename="flood-signatures.csv"/)
  const lines = res.body
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n')
  t.same(lines, [
    '"name","country","confirmed_at","comment"',
    `"'=HYPERLINK(""http://x"",""y"")","KR","${lines[1]!.split(',').at(-2)!.slice(1, -1)}","'+1 from ""us"""`,
    `"'@evil","KR","${lines[2]!.split(',').at(-2)!.slice(1, -1)}","'-2"`,
    `"","KR","${lines[3]!.split(',').at(-2)!.slice(1, -1)}",""`,
  ])
  t.notMatch(res.body, /Private Person|Pending Person|@example\.org/, 'no private name, no pending row, no address')

  const auth = await organizerAuth(env.db)
  const api = await env.app.inject({ url: '/api/v1/campaigns/flood/signatures.csv', headers: { authorization: auth } })
  t.equal(api.statusCode, 200)
  t.equal(api.body, res.body, 'the API gives the same file')
  t.equal((await env.app.inject({ url: '/api/v1/campaigns/flood/signatures.csv' })).statusCode, 401)
  t.equal(
    (await env.app.inject({ url: '/api/v1/campaigns/nope/signatures.csv', headers: { authorization: auth } }))
      .statusCode,
    404,
  )
  const exports = await env.db
    .selectFrom('audit_log')
    .select(['via', 'detail'])
    .where('action', '=', 'signatures.export')
    .orderBy('id')
    .execute()
  t.same(
    exports.map((e) => [e.via, (e.detail as { rows: number }).rows]),
    [
      ['console', 3],
      ['api', 3],
    ],
  )
})

t.test('bulk invalidation hits exactly the previewed rows, the count follows, and it is reversible', async (t) => {
  const env = await setup(t, { workers: false })
  const { client } = await campaignWith(env, [
    { name: 'Bot 1', email: 'b1@spam.test', status: 'confirmed', ip: '198.51.100.9' },
    { name: 'Bot 2', email: 'b2@spam.test', status: 'confirmed', ip: '198.51.100.9' },
    { name: 'Bot 3', email: 'b3@spam.test', status: 'pending', ip: '198.51.100.9' },
    { name: 'Real 1', email: 'r1@spam.test', status: 'confirmed', ip: '203.0.113.1' },
    { name: 'Real 2', email: 'r2@example.org', status: 'confirmed', ip: '198.51.100.9' },
  ])
  t.equal(await count(env), 4)
  const bot = await env.db.selectFrom('signatures').select('id').where('name', '=', 'Bot 1').executeTakeFirstOrThrow()

  const empty = await client.get(`/admin/campaigns/flood/invalidations/new?emailDomain=not a domain`)
  t.equal(empty.statusCode, 400)
  t.match(empty.body, /id="f-emailDomain-error"/)
  const preview = await client.get(`/admin/campaigns/flood/invalidations/new?sameIpAs=${bot.id}&emailDomain=spam.test`)
  t.equal(preview.statusCode, 200)
  t.match(preview.body, /This would invalidate 3 signatures/)
  t.match(preview.body, /2 confirmed and 1 pending/)
  t.equal(
    (await env.db.selectFrom('signatures').select('id').where('status', '=', 'invalidated').execute()).length,
    0,
    'a preview changes nothing',
  )
  const expected = /name="expected" value="(\d+)"/.exec(preview.body)![1]!
  const upTo = /name="upTo" value="(\d+)"/.exec(preview.body)![1]!

  const applied = await client.post('/admin/campaigns/flood/invalidations', {
    sameIpAs: bot.id,
    emailDomain: 'spam.test',
    expected,
    upTo,
    confirm: '1',
  })
  t.equal(applied.statusCode, 303)
  const hit = await env.db
    .selectFrom('signatures')
    .select('name')
    .where('status', '=', 'invalidated')
    .orderBy('name')
    .execute()
  t.same(
    hit.map((r) => r.name),
    ['Bot 1', 'Bot 2', 'Bot 3'],
    'exactly the previewed rows',
  )
  await flushCounts(env.db)
  t.equal(await count(env), 2, 'the public count drops by the confirmed ones')
  const again = await client.post('/admin/campaigns/flood/invalidations', {
    sameIpAs: bot.id,
    emailDomain: 'spam.test',
    expected,
    upTo,
    confirm: '1',
  })
  t.equal(again.statusCode, 409, 'a stale preview is refused')
  t.match(again.body, /changed since the preview/)

  const batch = await env.db.selectFrom('invalidations').select(['id', 'hit', 'filter']).executeTakeFirstOrThrow()
  t.equal(batch.hit, 3)
  t.notMatch(JSON.stringify(batch.filter), /198\.51|ip_hash/, 'the stored filter holds no IP')
  await client.get('/admin/campaigns/flood')
  t.equal((await client.post(`/admin/campaigns/flood/invalidations/${batch.id}/restore`)).statusCode, 303)
  const states = await env.db.selectFrom('signatures').select(['name', 'status']).orderBy('name').execute()
  t.same(
    states.map((s) => `${s.name}:${s.status}`),
    ['Bot 1:confirmed', 'Bot 2:confirmed', 'Bot 3:pending', 'Real 1:confirmed', 'Real 2:confirmed'],
  )
  await flushCounts(env.db)
  t.equal(await count(env), 4, 'restoring counts them again')
  t.equal((await client.post(`/admin/campaigns/flood/invalidations/${batch.id}/restore`)).statusCode, 409, 'only once')
  const actions = (await env.db.selectFrom('audit_log').select('action').execute()).map((r) => r.action)
  t.ok(actions.includes('signatures.invalidate') && actions.includes('signatures.restore'))
})

t.test('an invalidation larger than a statement has parameters (70,000 signatures from one address)', async (t) => {
  const env = await setup(t, { workers: false })
  const { client, campaignId } = await campaignWith(env, [
    { name: 'Bot 0', email: 'b0@spam.test', status: 'confirmed', ip: '198.51.100.9' },
  ])
  // A flood from one address, written as the signing path would have, counted as confirmed.
  await sql`
    insert into signatures (campaign_id, name, email, email_key, country, public_name, wants_alerts, locale, status,
      confirm_nonce, confirm_expires_at, ip_hash, created_at, confirmed_at)
    select campaign_id, 'Bot ' || i, 'b' || i || '@spam.test', 'b' || i || '@spam.test', country, false, false, 'en', 'confirmed',
      decode(md5(i::text), 'hex'), confirm_expires_at, ip_hash, now(), now()
    from signatures, generate_series(1, 70000) as i where name = 'Bot 0'`.execute(env.db)
  await env.db.insertInto('signature_count_deltas').values({ campaign_id: campaignId, delta: 70_000 }).execute()
  await flushCounts(env.db)
  t.equal(await count(env), 70_001)
  const bot = await env.db.selectFrom('signatures').select('id').where('name', '=', 'Bot 0').executeTakeFirstOrThrow()

  const preview = await client.get(`/admin/campaigns/flood/invalidations/new?sameIpAs=${bot.id}`)
  t.equal(preview.statusCode, 200)
  const expected = /name="expected" value="(\d+)"/.exec(preview.body)![1]!
  const upTo = /name="upTo" value="(\d+)"/.exec(preview.body)![1]!
  t.equal(expected, '70001')
  const applied = await client.post('/admin/campaigns/flood/invalidations', {
    sameIpAs: bot.id,
    expected,
    upTo,
    confirm: '1',
  })
  t.equal(applied.statusCode, 303, 'applied, not a 500 from the 65,535-parameter limit')
  const invalidated = await sql<{
    n: number
  }>`select count(*)::int as n from signatures where status = 'invalidated'`.execute(env.db)
  t.equal(invalidated.rows[0]!.n, 70_001)
  await flushCounts(env.db)
  t.equal(await count(env), 0)
  const batch = await env.db.selectFrom('invalidations').select(['id', 'hit']).executeTakeFirstOrThrow()
  t.equal(batch.hit, 70_001)
  t.equal((await client.post(`/admin/campaigns/flood/invalidations/${batch.id}/restore`)).statusCode, 303)
  await flushCounts(env.db)
  t.equal(await count(env), 70_001, 'and restored whole')
})

t.test('a time window filter and a preview bounded against later signatures', async (t) => {
  const env = await setup(t, { workers: false })
  const hour = (h: number) => new Date(Date.UTC(2026, 0, 1, h))
  const { client, campaignId } = await campaignWith(env, [
    { name: 'Early', email: 'e@x.test', status: 'confirmed', at: hour(1) },
    { name: 'Burst 1', email: 'b1@x.test', status: 'confirmed', at: hour(3) },
    { name: 'Burst 2', email: 'b2@x.test', status: 'confirmed', at: hour(4) },
  ])
  const preview = await client.get('/admin/campaigns/flood/invalidations/new?from=2026-01-01T02:00&to=2026-01-01T05:00')
  t.match(preview.body, /This would invalidate 2 signatures/)
  const upTo = /name="upTo" value="(\d+)"/.exec(preview.body)![1]!
  // A signature arriving between preview and apply, inside the window, is not swept up.
  await env.db
    .insertInto('signatures')
    .values({
      campaign_id: campaignId,
      name: 'Late',
      email: 'l@x.test',
      email_key: 'l@x.test',
      country: 'KR',
      public_name: false,
      wants_alerts: false,
      locale: 'en',
      status: 'pending',
      confirm_nonce: randomBytes(16),
      confirm_expires_at: new Date(Date.now() + 1000),
      created_at: hour(4),
    })
    .execute()
  const res = await client.post('/admin/campaigns/flood/invalidations', {
    from: '2026-01-01T02:00',
    to: '2026-01-01T05:00',
    expected: '2',
    upTo,
    confirm: '1',
  })
  t.equal(res.statusCode, 303)
  const hit = await env.db
    .selectFrom('signatures')
    .select('name')
    .where('status', '=', 'invalidated')
    .orderBy('name')
    .execute()
  t.same(
    hit.map((r) => r.name),
    ['Burst 1', 'Burst 2'],
  )
})
