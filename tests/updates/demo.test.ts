import t from 'tap'
import { DEMO_MILESTONE } from '../../src/modules/demo/updates.ts'
import { DEMO_SLUG, loadDemo } from '../../src/modules/demo/service.ts'
import { reachMilestones } from '../../src/modules/updates/milestones.ts'
import { setup } from '../helper.ts'

t.test('the founding campaign has a prepared update at its goal, once, posted when the goal is reached', async (t) => {
  const env = await setup(t, { workers: false })
  t.equal((await loadDemo(env.db)).milestonesAdded, 1)
  t.equal((await loadDemo(env.db)).milestonesAdded, 0, 'a second load prepares nothing more')
  const rows = await env.db
    .selectFrom('campaign_milestones')
    .select(['threshold', 'update_title', 'update_notify', 'reached_at'])
    .execute()
  t.same(rows, [{ threshold: 10_000, update_title: DEMO_MILESTONE.title, update_notify: true, reached_at: null }])
  const page = await env.app.inject({ url: `/campaigns/${DEMO_SLUG}?lang=en` })
  t.notOk(page.body.includes(DEMO_MILESTONE.title), 'prepared, not posted: the page does not show it yet')
  const base: Record<string, number> = {}
  for (const lang of ['en', 'ko', 'zh'])
    base[lang] = Buffer.byteLength((await env.app.inject({ url: `/campaigns/${DEMO_SLUG}?lang=${lang}` })).body)

  await env.db
    .updateTable('campaigns')
    .set({ signature_count: 10_000 } as never)
    .where('slug', '=', DEMO_SLUG)
    .execute()
  t.equal(await reachMilestones(env.db), 1)
  // The worker posts it; the web instance's page cache shows it within its half second.
  env.app.present.campaignPages.forget(DEMO_SLUG)
  const after = await env.app.inject({ url: `/campaigns/${DEMO_SLUG}?lang=ko` })
  t.match(after.body, /<div lang="en"><h3>10,000 signatures/, 'posted, in English, on the Korean page')
  t.match(after.body, /Thank you: 10,000 of us have signed/)
  // Two more updates: the page shows three, the newest cut short, the others by title.
  const { postUpdate } = await import('./helpers.ts')
  for (const title of ['송환 중단 촉구 서한 전달', '유엔난민기구 면담 요청'])
    await postUpdate(env, DEMO_SLUG, { kind: 'update', lang: 'ko', title, body: '긴 소식입니다. '.repeat(200) })
  env.app.present.campaignPages.forget(DEMO_SLUG)
  for (const lang of ['en', 'ko', 'zh']) {
    const html = (await env.app.inject({ url: `/campaigns/${DEMO_SLUG}?lang=${lang}` })).body
    // The updates' share of the page is bounded: the newest cut short, two more by title.
    const added = Buffer.byteLength(html) - base[lang]!
    t.ok(
      added < 1_200,
      `${lang}: three updates add ${added} bytes (${base[lang]} without, ${Buffer.byteLength(html)} with)`,
    )
  }
  t.equal((await env.db.selectFrom('alerts').select('kind').executeTakeFirstOrThrow()).kind, 'update', 'and sent')
})
