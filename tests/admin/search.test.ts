// The console's long lists are searched with filters said back in words and paged by key: every
// row on exactly one page, ties in the sort key included, and a filter it cannot read refused at
// its field (400, the form again), never a 500.
import { randomBytes } from 'node:crypto'
import t from 'tap'
import { systemActor } from '../../src/modules/audit/service.ts'
import { encodeKey } from '../../src/modules/paging.ts'
import { createReport } from '../../src/modules/reports/service.ts'
import { hashIp } from '../../src/security.ts'
import { ConsoleClient, liveCampaign, loginAs, setup, type TestEnv } from '../helper.ts'

const actor = systemActor('cli')
const report = (occurredOn: string, place = 'Dandong', kind: 'detention' | 'release' = 'detention') => ({
  occurredOn,
  place: { name: place, province: 'Liaoning', country: 'CN' },
  peopleCount: 3,
  kind,
  summary: `Held in ${place}.`,
  confidence: 'credible' as const,
})

/** Follows the list's "older" links from `url` to the end, then "newer" back: the ids on each page. */
async function walk(client: ConsoleClient, url: string, idOf: RegExp) {
  const link = (body: string, rel: string) =>
    new RegExp(`href="([^"]+)" rel="${rel}"`).exec(body)?.[1]?.replaceAll('&amp;', '&')
  const ids = (body: string) => [...body.matchAll(idOf)].map((m) => m[1]!)
  const down: string[][] = []
  let next: string | undefined = url
  let body = ''
  while (next) {
    const res = await client.get(next)
    if (res.statusCode !== 200) throw new Error(`${next}: ${res.statusCode}`)
    body = res.body
    down.push(ids(body))
    next = link(body, 'next')
  }
  const up: string[][] = [ids(body)]
  let prev = link(body, 'prev')
  while (prev) {
    const res = await client.get(prev)
    up.unshift(ids(res.body))
    prev = link(res.body, 'prev')
  }
  return { down, up }
}

async function signaturesOf(env: TestEnv, slug: string, rows: { email: string; country: string; at: Date }[]) {
  const campaign = await env.db.selectFrom('campaigns').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()
  const ids: string[] = []
  for (const r of rows) {
    const row = await env.db
      .insertInto('signatures')
      .values({
        campaign_id: campaign.id,
        name: 'Signer',
        email: r.email,
        email_key: r.email,
        country: r.country,
        comment: null,
        public_name: false,
        wants_alerts: false,
        locale: 'en',
        status: 'pending',
        confirm_nonce: randomBytes(16),
        confirm_expires_at: new Date(Date.now() + 86_400_000),
        ip_hash: hashIp(env.config.secretKey, '203.0.113.5'),
        created_at: r.at,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    ids.push(row.id)
  }
  return ids
}

t.test('reports page by key: each exactly once across pages, though twenty share each day', async (t) => {
  const env = await setup(t, { workers: false })
  const made: string[] = []
  for (const day of ['2021-07-14', '2021-07-15', '2021-07-16'])
    for (let i = 0; i < 20; i++) made.push((await createReport(env.db, actor, report(day))).id)
  const { client } = await loginAs(env, 'organizer')
  const { down, up } = await walk(client, '/admin/reports', /<a href="\/admin\/reports\/(\d+)">/g)
  t.same(
    down.map((p) => p.length),
    [25, 25, 10],
  )
  const seen = down.flat()
  t.equal(new Set(seen).size, 60, 'no row twice')
  t.same([...seen].sort(), [...made].sort(), 'and none missed')
  t.same(up, down, 'back up by "newer", the same pages')
  // A report written meanwhile does not shift the pages already linked.
  const first = await client.get('/admin/reports')
  const older = /href="([^"]+)" rel="next"/.exec(first.body)![1]!
  await createReport(env.db, actor, report('2021-07-16'))
  t.same((await walk(client, older, /<a href="\/admin\/reports\/(\d+)">/g)).down.flat(), seen.slice(25))
})

t.test('signatures page by key with one signing time for all, and filter by country, address and day', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  const at = new Date('2026-11-30T10:00:00.123Z')
  const flood = await signaturesOf(
    env,
    slug,
    Array.from({ length: 55 }, (_, i) => ({ email: `bot${i}@flood.example`, country: 'CN', at })),
  )
  await signaturesOf(env, slug, [
    { email: 'kim@example.org', country: 'KR', at: new Date('2026-12-01T09:00:00Z') },
    { email: 'lee@example.org', country: 'KR', at: new Date('2026-12-03T09:00:00Z') },
  ])
  const { client } = await loginAs(env, 'organizer')
  const base = `/admin/campaigns/${slug}/signatures`
  const rowIds = /<tr>\s*<td class="num">(\d+)<\/td>/g
  const { down, up } = await walk(client, `${base}?country=CN`, rowIds)
  t.same(
    down.map((p) => p.length),
    [25, 25, 5],
  )
  t.same([...down.flat()].sort(), [...flood].sort(), 'each of the 55 once, the filter kept across pages')
  t.same(up, down)

  const kim = await client.get(`${base}?address=${encodeURIComponent('k***@exam')}`)
  t.equal(kim.statusCode, 200)
  t.equal([...kim.body.matchAll(rowIds)].length, 1)
  t.match(kim.body, /k\*\*\*@example\.org/)
  t.match(kim.body, /Filters: address starting with “k\*\*\*@exam”\. 1 match\./, 'the filter in words')
  const full = await client.get(`${base}?address=${encodeURIComponent('kim@example.org')}`)
  t.match(full.body, /0 match/, 'the whole address finds nothing: only what the table shows can be searched')

  const days = await client.get(`${base}?country=KR&from=2026-12-02&to=2026-12-03`)
  t.equal([...days.body.matchAll(rowIds)].length, 1, 'lee only')
  t.match(days.body, /Filters: country South Korea, from 2026-12-02, until 2026-12-03 \(UTC\)\. 1 match\./)
  const ko = await client.get(`${base}?country=KR&from=2026-12-02&lang=ko`)
  t.match(ko.body, /조건: 국가 대한민국, 2026-12-02부터\. 1건이 해당합니다\./)
})

t.test('campaigns, reports and the audit log filter by what they hold', async (t) => {
  const env = await setup(t, { workers: false })
  const admin = await loginAs(env, 'admin')
  const slug = await liveCampaign(env, { title: 'Free the Tumen detainees' })
  await liveCampaign(env, { title: 'Another appeal' })
  const campaigns = await admin.client.get('/admin/campaigns?status=live&q=tumen')
  t.match(campaigns.body, new RegExp(`href="/admin/campaigns/${slug}"`))
  t.notMatch(campaigns.body, /Another appeal/)
  t.match(campaigns.body, /Filters: status Live, containing “tumen”\. 1 match\./)

  await createReport(env.db, actor, report('2021-07-14', 'Tumen', 'release'))
  await createReport(env.db, actor, report('2021-07-15', 'Dandong'))
  const reports = await admin.client.get('/admin/reports?kind=release&q=TUMEN')
  t.match(reports.body, />Tumen</)
  t.notMatch(reports.body, />Dandong</)
  t.match(reports.body, /Filters: kind Release, containing “TUMEN”\. 1 match\./)
  const byDay = await admin.client.get('/admin/reports?from=2021-07-15&to=2021-07-15')
  t.match(byDay.body, />Dandong</)
  t.notMatch(byDay.body, />Tumen</)

  const audit = await admin.client.get('/admin/audit?action=session.login')
  t.match(audit.body, /Filters: action session\.login\. 1 match\./)
  const future = await admin.client.get('/admin/audit?from=2999-01-01')
  t.match(future.body, /Filters: from 2999-01-01\. 0 match\./)
})

t.test('a filter or page key it cannot read is a 400 with the form again, never a 500', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  const admin = await loginAs(env, 'admin')
  const forged = encodeKey({ sort: '2026-13-45 10:00:00+00', id: '1' })
  const cases: [string, RegExp][] = [
    [`/admin/campaigns/${slug}/signatures?from=2026-02-30`, /id="f-from-error">Enter a date such as 2026-12-07/],
    [`/admin/campaigns/${slug}/signatures?from=2026-12-05&to=2026-12-01`, /id="f-to-error">The end date must not/],
    [`/admin/campaigns/${slug}/signatures?address=%3Cscript%3E`, /id="f-address-error">Type the start of an address/],
    [`/admin/campaigns/${slug}/signatures?status=gone`, /id="f-status-error"/],
    [`/admin/campaigns/${slug}/signatures?after=not-a-key`, /This page link does not work/],
    [`/admin/campaigns/${slug}/signatures?before=${forged}`, /This page link does not work/],
    [`/admin/reports?kind=theft`, /id="f-kind-error"/],
    [`/admin/reports?after=${encodeKey({ sort: '2021-02-31', id: '5' })}`, /This page link does not work/],
    [`/admin/campaigns?q=${'x'.repeat(101)}`, /id="f-q-error"/],
    [`/admin/audit?to=yesterday`, /id="f-to-error"/],
    [`/admin/audit?action=DROP%20TABLE`, /id="f-action-error"/],
  ]
  for (const [url, message] of cases) {
    const res = await admin.client.get(url)
    t.equal(res.statusCode, 400, url)
    t.match(res.body, message, `${url}: says why`)
    t.match(res.body, /<form method="get"/, `${url}: the search form again`)
  }
  const kept = await admin.client.get(`/admin/campaigns/${slug}/signatures?from=2026-02-30&country=KR`)
  t.match(kept.body, /<option value="KR" selected>/, 'what was chosen is kept')
  t.match(kept.body, /value="2026-02-30"/, 'what was typed is kept')
})
