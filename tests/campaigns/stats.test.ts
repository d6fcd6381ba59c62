// GET /api/v1/campaigns/:slug/stats (contract, "Reach"): public figures that single nobody out.
import { sql } from 'kysely'
import t from 'tap'
import { flushCounts } from '../../src/modules/counts/service.ts'
import { createDb } from '../../src/db/index.ts'
import { createStatsCache } from '../../src/present/campaigns/stats-cache.ts'
import { campaignInput, eventually, liveCampaign, organizerAuth, setup, type TestEnv } from '../helper.ts'

/** `n` signatures of `country` confirmed at `at` (or with the given status), counted as the app would. */
async function signatures(
  env: TestEnv,
  slug: string,
  n: number,
  country: string,
  at: string,
  { status = 'confirmed', held = false } = {},
) {
  const { id } = await env.db.selectFrom('campaigns').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()
  await sql`
    insert into signatures (campaign_id, name, email, email_key, country, public_name, wants_alerts, locale, status,
                            confirm_nonce, confirm_expires_at, confirmed_at, held)
    select ${id}, 'S', 's' || g || ${country} || ${at} || '@example.org', 's' || g || ${country} || ${at} || ${status} || ${held},
           ${country}, false, false, 'en', ${status}, decode(md5(random()::text), 'hex'), now() + interval '1 day',
           case when ${status} = 'pending' then null else ${at}::timestamptz end, ${held}
      from generate_series(1, ${n}) g`.execute(env.db)
  if (status === 'confirmed' && !held)
    await env.db.insertInto('signature_count_deltas').values({ campaign_id: id, delta: n }).execute()
  await flushCounts(env.db)
}

t.test('countries under 10 signers are folded into "other"; only counted signatures count', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  await signatures(env, slug, 25, 'KR', '2026-12-01T09:15:00Z')
  await signatures(env, slug, 12, 'US', '2026-12-01T09:40:00Z')
  await signatures(env, slug, 9, 'JP', '2026-12-01T11:05:00Z')
  await signatures(env, slug, 1, 'NZ', '2026-12-01T11:10:00Z')
  // Not counted: pending, or held for review.
  await signatures(env, slug, 30, 'NZ', '2026-12-01T11:10:00Z', { status: 'pending' })
  await signatures(env, slug, 30, 'NZ', '2026-12-01T11:10:00Z', { held: true })

  const res = await env.app.inject({ url: `/api/v1/campaigns/${slug}/stats` })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['access-control-allow-origin'], '*', 'any site may read them')
  t.match(res.headers['cache-control'], /public/)
  t.same(res.json(), {
    signatureCount: 47,
    byCountry: [
      { country: 'KR', count: 25 },
      { country: 'US', count: 12 },
      { country: 'other', count: 10 },
    ],
    timeline: [
      { at: '2026-12-01T09:00:00.000Z', count: 37 },
      { at: '2026-12-01T11:00:00.000Z', count: 10 },
    ],
  })
  t.notMatch(res.body, /"JP"|"NZ"/, 'no country with fewer than 10 is named')
})

t.test('the figures are kept a minute: more signatures do not cost a query per view', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  await signatures(env, slug, 10, 'KR', '2026-12-02T10:00:00Z')
  const first = (await env.app.inject({ url: `/api/v1/campaigns/${slug}/stats` })).json()
  await signatures(env, slug, 10, 'US', '2026-12-02T10:30:00Z')
  const again = (await env.app.inject({ url: `/api/v1/campaigns/${slug}/stats` })).json()
  t.same(again.byCountry, first.byCountry, 'the same figures, from the instance cache')
  t.same(again.timeline, first.timeline)
})

t.test('a draft or unknown campaign has no stats', async (t) => {
  const env = await setup(t, { workers: false })
  const draft = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers: { authorization: await organizerAuth(env.db) },
    payload: { ...campaignInput, slug: 'still-a-draft' },
  })
  t.equal(draft.statusCode, 201)
  const slug = 'still-a-draft'
  t.equal((await env.app.inject({ url: `/api/v1/campaigns/${slug}/stats` })).statusCode, 404)
  t.equal((await env.app.inject({ url: '/api/v1/campaigns/no-such-campaign/stats' })).statusCode, 404)
  const empty = await liveCampaign(env)
  t.same((await env.app.inject({ url: `/api/v1/campaigns/${empty}/stats` })).json(), {
    signatureCount: 0,
    byCountry: [],
    timeline: [],
  })
})

t.test('the campaign page shows the figures in its language, the chart as an SVG image of its own', async (t) => {
  const env = await setup(t, { workers: false })
  const empty = await liveCampaign(env)
  const before = await env.app.inject({ url: `/campaigns/${empty}?lang=en` })
  t.notMatch(before.body, 'class="figures"', 'nothing to show before anyone counts')
  t.equal((await env.app.inject({ url: `/campaigns/${empty}/chart.svg?hl=en` })).statusCode, 404)
  const slug = await liveCampaign(env)

  await signatures(env, slug, 12, 'KR', '2026-12-03T01:10:00Z')
  await signatures(env, slug, 3, 'JP', '2026-12-03T04:10:00Z')
  // The page shows the figures the instance has and never waits for them: load them first.
  await env.app.inject({ url: `/api/v1/campaigns/${slug}/stats` })
  env.app.present.campaignPages.forget(slug)
  for (const [lang, korea, other, hour] of [
    ['en', 'South Korea', 'Other countries', 'hour'],
    ['ko', '대한민국', '기타 국가', '시간'],
    ['zh', '韩国', '其他国家', '小时'],
  ] as const) {
    const page = await env.app.inject({ url: `/campaigns/${slug}?lang=${lang}` })
    t.match(page.body, 'class="figures"', lang)
    t.match(page.body, `<img src="/campaigns/${slug}/chart.svg?hl=${lang}&amp;n=15"`, `${lang}: the chart's address`)
    t.match(page.body, new RegExp(`alt="[^"]*${hour}`), `${lang}: the chart in words`)
    t.match(page.body, `<li>${korea} <span class="muted">12</span></li>`)
    t.match(page.body, `<li>${other} <span class="muted">3</span></li>`)
    const figures = page.body.slice(
      page.body.indexOf('class="figures"'),
      page.body.indexOf('</section>', page.body.indexOf('class="figures"')),
    )
    t.notMatch(figures, /日本|Japan|일본/, `${lang}: the country with 3 signers is not named`)

    const svg = await env.app.inject({ url: `/campaigns/${slug}/chart.svg?hl=${lang}&n=15` })
    t.equal(svg.statusCode, 200)
    t.match(svg.headers['content-type'], 'image/svg+xml')
    t.match(svg.body, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)
    t.equal((svg.body.match(/<rect /g) ?? []).length, 2, 'a column for each hour with signatures (01:00 and 04:00)')
    t.match(svg.body, `<title id="t">`)
  }
})

t.test('the page never waits for the figures: peek answers at once, and a failed load only logs', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  const { campaign } = await env.app.present.campaignPages.data(slug)
  const errors: unknown[] = []
  const unreachable = createDb('postgres://postgres@127.0.0.1:1/none')
  t.teardown(() => unreachable.destroy())
  const cache = createStatsCache(unreachable, (err) => errors.push(err))
  t.equal(cache.peek(campaign), undefined, 'nothing yet, at once')
  await eventually(async () => errors.length === 1, 10_000, 'the load to fail')
  t.equal(cache.peek(campaign), undefined, 'still nothing, and nothing thrown')
  await t.rejects(cache.get(campaign), 'the API, which waits, hears of it')
  const page = await env.app.inject({ url: `/campaigns/${slug}` })
  t.equal(page.statusCode, 200)
})
