// Trust pages (issue 18 point 8): the About page says who runs this installation, as an admin set
// it in the console; the privacy page is written from the running configuration; both are linked
// from every public page.
import t from 'tap'
import { liveCampaign, loginAs, setup } from '../helper.ts'

t.test('About: unset says so; an admin sets it; every language reads it, marked where it falls back', async (t) => {
  const env = await setup(t, { workers: false })
  for (const [lang, words] of [
    ['en', /has not yet said who it is/],
    ['ko', /아직 누구인지 밝히지 않았습니다/],
    ['zh', /尚未说明其身份/],
  ] as const) {
    const page = await env.app.inject({ url: `/about?lang=${lang}` })
    t.equal(page.statusCode, 200)
    t.match(page.body, words)
    t.match(page.body, /<meta name="description" content="[^"]+">/)
  }

  const organizer = await loginAs(env, 'organizer')
  t.equal((await organizer.client.get('/admin/about')).statusCode, 403, 'an admin setting')

  const { client } = await loginAs(env, 'admin')
  const form = await client.get('/admin/about')
  t.equal(form.statusCode, 200)
  const refused = await client.post('/admin/about', { organisation: 'NK Watch', contactEmail: 'not an address' })
  t.equal(refused.statusCode, 400)
  t.match(refused.body, /id="f-contactEmail-error"/, 'the field named')
  t.match(refused.body, /value="NK Watch"/, 'what was typed stays')
  const saved = await client.post('/admin/about', {
    organisation: 'NK Watch',
    contactEmail: 'privacy@nkwatch.example.org',
    text_en: '',
    text_ko: '탈북민 인권을 위한 단체입니다.',
    text_zh: '',
  })
  t.equal(saved.statusCode, 303)
  t.equal(saved.headers.location, '/admin/about?saved=1')

  const en = await env.app.inject({ url: '/about?lang=en' })
  t.match(en.body, 'This site is run by NK Watch.')
  t.match(en.body, 'href="mailto:privacy@nkwatch.example.org"')
  t.match(en.body, '<div class="story" lang="ko">탈북민 인권을 위한 단체입니다.</div>', 'the Korean text, marked')
  const ko = await env.app.inject({ url: '/about?lang=ko' })
  t.match(ko.body, '이 사이트는 NK Watch에서 운영합니다.')

  const audit = await env.db.selectFrom('audit_log').select(['action']).where('action', '=', 'site.about').execute()
  t.equal(audit.length, 1, 'audited')
})

t.test('privacy: the figures are the configuration; the contact is the About', async (t) => {
  const env = await setup(t, { workers: false, env: { IP_HASH_DAYS: '12', PENDING_RETENTION_DAYS: '3' } })
  const page = await env.app.inject({ url: '/privacy?lang=en' })
  t.equal(page.statusCode, 200)
  t.match(page.body, 'kept 12 days to stop floods of fake signatures')
  t.match(page.body, 'never confirmed is deleted 3 days after its link expires')
  t.match(page.body, 'href="/privacy/erase"')
  t.notMatch(page.body, /mailto:/, 'no contact until an admin gives one')
  for (const [lang, words] of [
    ['ko', /12일 동안 보관한 뒤 삭제합니다/],
    ['zh', /保存 12 天/],
  ] as const) {
    t.match((await env.app.inject({ url: `/privacy?lang=${lang}` })).body, words)
  }

  const slug = await liveCampaign(env)
  const campaign = await env.app.inject({ url: `/campaigns/${slug}` })
  t.match(campaign.body, 'href="/about"', 'linked from every public page')
  t.match(campaign.body, 'href="/privacy"')
})
