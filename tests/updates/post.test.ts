import t from 'tap'
import { reachMilestones } from '../../src/modules/updates/milestones.ts'
import { flushCounts } from '../../src/modules/counts/service.ts'
import { eventually, liveCampaign, organizerAuth, setup } from '../helper.ts'
import { confirmedSigner, postUpdate } from './helpers.ts'

t.test('bad input names the field, and nothing is written', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  const auth = await organizerAuth(env.db)
  const cases: [Record<string, unknown>, string][] = [
    [{ title: 'x', body: 'y' }, 'kind'],
    [{ kind: 'rumour', title: 'x', body: 'y' }, 'kind'],
    [{ kind: 'update', title: '  ', body: 'y' }, 'title'],
    [{ kind: 'update', title: 'x'.repeat(201), body: 'y' }, 'title'],
    [{ kind: 'update', title: 'x', body: 'y'.repeat(5001) }, 'body'],
    [{ kind: 'update', title: 'x', body: 'y', lang: 'fr' }, 'lang'],
    [{ kind: 'update', title: 'x', body: 'y', outcome: 'won' }, 'outcome'],
    [{ kind: 'outcome', title: 'x', body: 'y', outcome: 'maybe' }, 'outcome'],
    [{ kind: 'update', title: 'x', body: 'y', notify: 'yes' }, 'notify'],
  ]
  for (const [body, field] of cases) {
    const res = await postUpdate(env, slug, body, auth)
    t.equal(res.status, 400, `${JSON.stringify(body).slice(0, 60)}: 400`)
    t.ok(res.json.fields?.[field], `names ${field}`)
  }
  t.equal((await postUpdate(env, 'no-such-campaign', { kind: 'update', title: 'x', body: 'y' }, auth)).status, 404)
  const anonymous = await env.app.inject({
    method: 'POST',
    url: `/api/v1/campaigns/${slug}/updates`,
    payload: { kind: 'update', title: 'x', body: 'y' },
  })
  t.equal(anonymous.statusCode, 401)
  const rows = await env.db.selectFrom('campaign_updates').select('id').execute()
  t.same(rows, [], 'no update written')
  t.same(await env.db.selectFrom('alerts').select('id').execute(), [], 'no alert')
})

t.test(
  'an outcome closes the case and the petition; the page shows the timeline newest first in en, ko, zh',
  async (t) => {
    const env = await setup(t, { workers: false })
    const slug = await liveCampaign(env)
    const auth = await organizerAuth(env.db)
    await postUpdate(env, slug, { kind: 'update', title: 'Letters delivered', body: 'We handed them over.' }, auth)
    await postUpdate(
      env,
      slug,
      { kind: 'good-news', title: '석방 소식', body: '두 명이 석방되었습니다.', lang: 'ko' },
      auth,
    )
    const outcome = await postUpdate(
      env,
      slug,
      { kind: 'outcome', title: 'Case won', body: 'All asks met.', outcome: 'won' },
      auth,
    )
    t.equal(outcome.status, 202)
    t.match(outcome.json, { update: { kind: 'outcome', outcome: 'won' }, alert: null }, 'no notify: no alert')
    const campaign = await env.app.inject({ url: `/api/v1/campaigns/${slug}` })
    t.equal(campaign.json().status, 'closed', 'the outcome ended the signing')
    const listed = (await env.app.inject({ url: `/api/v1/campaigns/${slug}/updates` })).json()
    t.same(
      listed.updates.map((u: { title: string }) => u.title),
      ['Case won', '석방 소식', 'Letters delivered'],
    )

    const words = {
      en: { heading: 'News of this case', good: 'Good news', won: 'Case:</strong> Won' },
      ko: { heading: '이 사안의 소식', good: '좋은 소식', won: '사안:</strong> 성공' },
      zh: { heading: '本案进展', good: '好消息', won: '案件:</strong> 成功' },
    }
    for (const [lang, w] of Object.entries(words)) {
      const page = await env.app.inject({ url: `/campaigns/${slug}?lang=${lang}` })
      t.equal(page.statusCode, 200)
      const html = page.body
      t.ok(html.includes(w.heading), `${lang}: the timeline heading`)
      t.ok(html.includes(w.good), `${lang}: the kind in the reader language`)
      t.ok(html.includes(w.won), `${lang}: the case status`)
      const order = ['Case won', '석방 소식', 'Letters delivered'].map((title) => html.indexOf(title))
      t.ok(order[0]! > 0 && order[0]! < order[1]! && order[1]! < order[2]!, `${lang}: newest first`)
      t.match(html, /<span lang="ko">석방 소식<\/span>/, `${lang}: the Korean update marked as Korean`)
      t.match(html, /<div lang="en"><h3>Case won<\/h3>/)
      t.ok(Buffer.byteLength(html) < 10_240, `${lang}: ${Buffer.byteLength(html)} bytes of HTML, under 10 KB`)
    }
  },
)

t.test('the signing form says updates will come and takes an opt-out, stored on the signature', async (t) => {
  const env = await setup(t)
  const slug = await liveCampaign(env)
  const page = await env.app.inject({ url: `/campaigns/${slug}?lang=en` })
  t.match(page.body, /We will email you news of this campaign/)
  t.match(page.body, /<input id="noUpdates" name="noUpdates" type="checkbox"/)
  const form = await env.app.inject({
    method: 'POST',
    url: `/campaigns/${slug}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      name: 'A',
      email: 'no-news@example.org',
      country: 'KR',
      noUpdates: 'on',
    }).toString(),
  })
  t.equal(form.statusCode, 303)
  await confirmedSigner(env, slug, 'news@example.org')
  const rows = await env.db.selectFrom('signatures').select(['email', 'wants_updates']).orderBy('email').execute()
  t.same(rows, [
    { email: 'news@example.org', wants_updates: true },
    { email: 'no-news@example.org', wants_updates: false },
  ])
})

t.test('a milestone fires once, even when several runs cross it at the same moment', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env, { goal: 2 })
  const headers = { authorization: await organizerAuth(env.db) }
  const set = await env.app.inject({
    method: 'POST',
    url: `/api/v1/campaigns/${slug}/milestones`,
    headers,
    payload: { threshold: 2, kind: 'good-news', title: 'Two of us', body: 'Thank you.' },
  })
  t.equal(set.statusCode, 201)
  const bad = await env.app.inject({
    method: 'POST',
    url: `/api/v1/campaigns/${slug}/milestones`,
    headers,
    payload: { threshold: 0, title: 'No body' },
  })
  t.equal(bad.statusCode, 400)
  t.ok(bad.json().fields.threshold && bad.json().fields.body, 'names threshold and body')

  const campaign = await env.db.selectFrom('campaigns').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()
  await env.db
    .insertInto('signature_count_deltas')
    .values([
      { campaign_id: campaign.id, delta: 1 },
      { campaign_id: campaign.id, delta: 1 },
    ])
    .execute()
  await flushCounts(env.db)
  const runs = await Promise.all(Array.from({ length: 8 }, () => reachMilestones(env.db)))
  t.equal(
    runs.reduce((a, b) => a + b, 0),
    1,
    'one of eight concurrent runs has it',
  )
  t.equal(await reachMilestones(env.db), 0, 'and a later run finds nothing new')
  const updates = await env.db.selectFrom('campaign_updates').select(['title', 'kind']).execute()
  t.same(updates, [{ title: 'Two of us', kind: 'good-news' }], 'the prepared update posted once')
  const mails = await env.db
    .selectFrom('outbox')
    .select(['kind', 'payload'])
    .where('kind', '=', 'milestone.reached')
    .execute()
  t.equal(mails.length, 1, 'one email for the one organizer told (the author; no admin here)')

  await env.startWorkers()
  await eventually(
    async () => env.smtp.messages.find((m) => /has 2 signatures/.test(m.parsed.subject ?? '')),
    10_000,
    'the milestone email',
  )
  const page = await env.app.inject({ url: `/campaigns/${slug}?lang=en` })
  t.match(page.body, /Two of us/, 'the prepared update is on the page')
})

t.test('without thresholds the goal is the milestone', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env, { goal: 1 })
  const campaign = await env.db.selectFrom('campaigns').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()
  await env.db.insertInto('signature_count_deltas').values({ campaign_id: campaign.id, delta: 1 }).execute()
  await flushCounts(env.db)
  const runs = await Promise.all(Array.from({ length: 4 }, () => reachMilestones(env.db)))
  t.equal(
    runs.reduce((a, b) => a + b, 0),
    1,
  )
  const rows = await env.db.selectFrom('campaign_milestones').select(['threshold', 'reached_at']).execute()
  t.equal(rows.length, 1)
  t.equal(rows[0]!.threshold, 1)
  t.ok(rows[0]!.reached_at)
})

t.test(
  'a live campaign page with long updates stays under 10 KB: the page cuts them, the updates page has them',
  async (t) => {
    const env = await setup(t, { workers: false })
    const slug = await liveCampaign(env)
    const auth = await organizerAuth(env.db)
    for (let i = 1; i <= 5; i++)
      await postUpdate(env, slug, { kind: 'update', title: `Update ${i}`, body: `Long news ${i}. `.repeat(300) }, auth)
    for (const lang of ['en', 'ko', 'zh']) {
      const html = (await env.app.inject({ url: `/campaigns/${slug}?lang=${lang}` })).body
      t.match(html, /id="noUpdates"/, 'the form is there')
      t.ok(Buffer.byteLength(html) < 10_240, `${lang}: ${Buffer.byteLength(html)} bytes`)
      t.notOk(html.includes('Update 2<'), 'only the newest three on the page')
      t.match(html, new RegExp(`href="/campaigns/${slug}/updates"`), 'a link to all of them')
    }
    const all = (await env.app.inject({ url: `/campaigns/${slug}/updates?lang=ko` })).body
    t.ok(
      ['Update 5', 'Update 1'].every((s) => all.includes(s)),
      'every update in full on the updates page',
    )
    t.ok(all.includes('Long news 1. '.repeat(300).trim()))
  },
)
