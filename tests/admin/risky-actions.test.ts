// Console actions that are hard to take back ask first, on a page that says what will happen
// (without JavaScript: the form comes back with confirm=1): nothing changes until the person says yes.
import { randomBytes } from 'node:crypto'
import t, { type Test } from 'tap'
import { systemActor } from '../../src/modules/audit/service.ts'
import { createReport, publishReport } from '../../src/modules/reports/service.ts'
import { hashIp } from '../../src/security.ts'
import { liveCampaign, loginAs, setup, type TestEnv } from '../helper.ts'

const auditCount = async (env: TestEnv, action: string) =>
  (await env.db.selectFrom('audit_log').select('id').where('action', '=', action).execute()).length

/** The confirm page: its "yes" form re-posts to `action` with confirm=1, and its "no" is a link. */
function assertAsks(t: Test, body: string, action: string) {
  const form = new RegExp(`<form method="post" action="${action.replace(/[/]/g, '\\/')}"[^]*?</form>`).exec(body)?.[0]
  t.ok(form, `a form posting to ${action}`)
  t.match(form, /name="_csrf"/)
  t.match(form, /<input type="hidden" name="confirm" value="1">/)
  t.match(form, /class="button secondary" href="\/admin\//, 'and a way back')
}

t.test('closing a live campaign asks first, and closes once confirmed', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  const { client } = await loginAs(env, 'organizer')
  await client.get(`/admin/campaigns/${slug}`)
  const asked = await client.post(`/admin/campaigns/${slug}/close`)
  t.equal(asked.statusCode, 200)
  t.match(asked.body, /<h1>Close this campaign\?<\/h1>/)
  t.match(asked.body, /stops taking signatures at once/)
  assertAsks(t, asked.body, `/admin/campaigns/${slug}/close`)
  const status = async () =>
    (await env.db.selectFrom('campaigns').select('status').where('slug', '=', slug).executeTakeFirstOrThrow()).status
  t.equal(await status(), 'live', 'nothing changed')
  t.equal(await auditCount(env, 'campaign.close'), 0)

  t.equal((await client.post(`/admin/campaigns/${slug}/close`, { confirm: '1' })).statusCode, 303)
  t.equal(await status(), 'closed')
  t.equal((await client.post(`/admin/campaigns/${slug}/reopen`)).statusCode, 303, 'reopening does not ask')
  t.equal(await status(), 'live')
})

t.test('cancelling an alert asks first, and cancels once confirmed', async (t) => {
  const env = await setup(t, { workers: false })
  const actor = systemActor('cli')
  const report = await createReport(env.db, actor, {
    occurredOn: '2021-07-15',
    place: { name: 'Dandong', province: 'Liaoning', country: 'CN' },
    peopleCount: 180,
    kind: 'detention',
    summary: 'Held in Dandong.',
    confidence: 'credible',
  })
  const { alertId } = await publishReport(env.db, actor, report.id)
  const { client } = await loginAs(env, 'organizer')
  const url = `/admin/alerts/${alertId}`
  await client.get(url)
  const asked = await client.post(`${url}/cancel`)
  t.equal(asked.statusCode, 200)
  t.match(asked.body, /<h1>Cancel this alert\?<\/h1>/)
  t.match(asked.body, /will never be sent/)
  assertAsks(t, asked.body, `${url}/cancel`)
  const status = async () =>
    (await env.db.selectFrom('alerts').select('status').where('id', '=', alertId).executeTakeFirstOrThrow()).status
  const before = await status()
  t.not(before, 'cancelled', 'nothing changed')

  t.equal((await client.post(`${url}/cancel`, { confirm: '1' })).statusCode, 303)
  t.equal(await status(), 'cancelled')
  t.equal((await client.post(`${url}/pause`)).statusCode, 409, 'other controls do not ask, and are refused as before')
})

t.test('disabling an organizer asks first, naming them, and disables once confirmed', async (t) => {
  const env = await setup(t, { workers: false })
  const admin = await loginAs(env, 'admin')
  const target = await loginAs(env, 'organizer', 'soo.ah@example.org')
  await admin.client.get('/admin/organizers')
  const asked = await admin.client.post(`/admin/organizers/${target.id}/disable`)
  t.equal(asked.statusCode, 200)
  t.match(asked.body, /<h1>Disable this account\?<\/h1>/)
  t.match(asked.body, /Test organizer \(soo\.ah@example\.org\)/)
  assertAsks(t, asked.body, `/admin/organizers/${target.id}/disable`)
  t.equal((await target.client.get('/admin/campaigns')).statusCode, 200, 'their session goes on')

  t.equal((await admin.client.post(`/admin/organizers/${target.id}/disable`, { confirm: '1' })).statusCode, 303)
  t.equal((await target.client.get('/admin/campaigns')).statusCode, 303, 'and stops once confirmed')
  t.equal((await admin.client.post(`/admin/organizers/${target.id}/enable`)).statusCode, 303, 'enabling does not ask')
})

t.test('applying an invalidation asks first with a sample of the rows; its history says it in words', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  const { client } = await loginAs(env, 'organizer')
  const campaign = await env.db.selectFrom('campaigns').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()
  const ids: string[] = []
  for (let i = 1; i <= 14; i++) {
    const row = await env.db
      .insertInto('signatures')
      .values({
        campaign_id: campaign.id,
        name: `Bot ${i}`,
        email: `bot${i}@spam.test`,
        email_key: `bot${i}@spam.test`,
        country: 'KR',
        comment: null,
        public_name: false,
        wants_alerts: false,
        locale: 'en',
        status: 'pending',
        confirm_nonce: randomBytes(16),
        confirm_expires_at: new Date(Date.now() + 86_400_000),
        ip_hash: hashIp(env.config.secretKey, '198.51.100.9'),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    ids.push(row.id)
  }

  const table = await client.get(`/admin/campaigns/${slug}/signatures`)
  t.match(table.body, /<th scope="col" class="num">No\.<\/th>/, 'the table shows the number the form asks for')
  t.match(table.body, new RegExp(`<td class="num">${ids[0]}</td>`))
  const form = await client.get(`/admin/campaigns/${slug}/invalidations/new?sameIpAs=${ids[0]}`)
  t.match(form.body, /The number in the No\. column of the signatures table/)
  const expected = /name="expected" value="(\d+)"/.exec(form.body)![1]!
  const upTo = /name="upTo" value="(\d+)"/.exec(form.body)![1]!
  t.equal(expected, '14')

  const fields = { sameIpAs: ids[0]!, emailDomain: 'spam.test', from: '', to: '', expected, upTo }
  const asked = await client.post(`/admin/campaigns/${slug}/invalidations`, fields)
  t.equal(asked.statusCode, 200)
  t.match(asked.body, /<h1>Invalidate these signatures\?<\/h1>/)
  t.match(asked.body, /the same network as signature No\. \d+; an address at spam\.test/, 'the filter in words')
  t.match(asked.body, /14 signatures match: 0 confirmed and 14 pending/)
  t.match(asked.body, /The latest 10 of them/)
  const sampled = [...asked.body.matchAll(/<td class="num">(\d+)<\/td>/g)].map((m) => m[1])
  t.same(sampled, ids.slice(-10).reverse(), 'the latest ten matching rows, by number')
  t.match(asked.body, /b\*\*\*@spam\.test/, 'addresses masked as in the table')
  t.notMatch(asked.body, /bot14@spam\.test/)
  assertAsks(t, asked.body, `/admin/campaigns/${slug}/invalidations`)
  for (const [name, value] of Object.entries(fields))
    t.match(asked.body, `<input type="hidden" name="${name}" value="${value}">`, `${name} is re-posted`)
  const invalidated = async () =>
    (await env.db.selectFrom('signatures').select('id').where('status', '=', 'invalidated').execute()).length
  t.equal(await invalidated(), 0, 'nothing changed')

  const done = await client.post(`/admin/campaigns/${slug}/invalidations`, { ...fields, confirm: '1' })
  t.equal(done.statusCode, 303)
  t.equal(await invalidated(), 14)

  const show = await client.get(`/admin/campaigns/${slug}`)
  t.match(show.body, /What was invalidated/)
  t.match(show.body, /the same network as signature No\. \d+; an address at spam\.test/, 'the history in words')
  t.notMatch(show.body, /\{&quot;sameIpAs/, 'not raw JSON')

  const ko = await client.get(`/admin/campaigns/${slug}?lang=ko`)
  t.match(ko.body, /\d+번 서명과 같은 네트워크, spam\.test 주소/)
})

t.test('a stale invalidation is refused on its confirm page too, never half-applied', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  const { client } = await loginAs(env, 'organizer')
  await client.get(`/admin/campaigns/${slug}/invalidations/new`)
  const res = await client.post(`/admin/campaigns/${slug}/invalidations`, {
    emailDomain: 'spam.test',
    expected: '3',
    upTo: '0',
  })
  t.equal(res.statusCode, 409)
  t.match(res.body, /changed since the preview/)
  const bad = await client.post(`/admin/campaigns/${slug}/invalidations`, { emailDomain: 'not a domain' })
  t.equal(bad.statusCode, 400)
})
