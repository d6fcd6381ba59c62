import t from 'tap'
import { loadDemo, DEMO_SLUG } from '../../src/modules/demo/service.ts'
import { setup } from '../helper.ts'

t.test('the demo names four targets once, with example.org emails only, and keeps an organizer’s choice', async (t) => {
  const env = await setup(t, { workers: false })
  const first = await loadDemo(env.db)
  t.equal(first.targetsAdded, 4)
  const again = await loadDemo(env.db)
  t.equal(again.targetsAdded, 0, 'a second load makes no target')

  const rows = await env.db.selectFrom('targets').select(['id', 'organisation', 'email', 'website', 'locale']).execute()
  t.equal(rows.length, 4)
  for (const r of rows) {
    t.match(r.email, /\.demo@example\.org$/, `${r.organisation}: a demo address that reaches nobody`)
    t.match(r.website, /^https?:\/\//)
  }
  t.same(rows.map((r) => r.locale).sort(), ['en', 'ko', 'zh', 'zh'])

  const json = (await env.app.inject({ url: `/api/v1/campaigns/${DEMO_SLUG}` })).json()
  t.same(
    json.targets.map((x: { organisation: string }) => x.organisation),
    [
      'Ministry of Foreign Affairs of the People’s Republic of China',
      'Embassy of the People’s Republic of China in the Republic of Korea',
      'UNHCR Representation in Beijing',
      'Ministry of Unification of the Republic of Korea',
    ],
  )
  const page = await env.app.inject({ url: `/campaigns/${DEMO_SLUG}?lang=ko` })
  t.match(page.body, /이 캠페인이 요청하는 곳/)
  t.notMatch(page.body, /example\.org/)

  // An organizer's choice of targets stands: the loader only names them where there are none.
  const campaign = await env.db.selectFrom('campaigns').select('id').executeTakeFirstOrThrow()
  await env.db.deleteFrom('campaign_targets').where('target_id', '!=', rows[0]!.id).execute()
  await loadDemo(env.db)
  const linked = await env.db
    .selectFrom('campaign_targets')
    .select('target_id')
    .where('campaign_id', '=', campaign.id)
    .execute()
  t.same(linked, [{ target_id: rows[0]!.id }])
})

t.test('the demo campaign has a letter in en, ko and zh, once, and keeps an organizer’s', async (t) => {
  const env = await setup(t, { workers: false })
  await loadDemo(env.db)
  const json = (await env.app.inject({ url: `/api/v1/campaigns/${DEMO_SLUG}` })).json()
  t.same(Object.keys(json.letter), ['en', 'ko', 'zh'])
  t.match(json.letter.zh.body, /不要将在中国被拘留的朝鲜人遣返回朝鲜/)
  t.match(json.letter.ko.subject, /강제 송환/)
  t.match(json.letter.en.body, /UNHCR/)

  const page = await env.app.inject({ url: `/campaigns/${DEMO_SLUG}/letter?lang=ko` })
  t.equal(page.statusCode, 200)
  t.equal((page.body.match(/href="mailto:/g) ?? []).length, 3, 'a mailto for each target that is not platform-only')
  t.notMatch(page.body, /unhcr-beijing\.demo/)

  await env.db.updateTable('campaign_letters').set({ subject: 'Edited' }).where('locale', '=', 'en').execute()
  await loadDemo(env.db)
  const rows = await env.db.selectFrom('campaign_letters').select(['locale', 'subject']).orderBy('locale').execute()
  t.equal(rows.length, 3)
  t.equal(rows[0]!.subject, 'Edited', 'a second load leaves the letter as it is')
})
