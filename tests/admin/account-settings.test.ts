// An organizer's own console settings (issue 18, point 16 and the time zone of point 11): the
// console speaks the account's language whatever the browser says, public pages the reader's;
// a bad zone or language is refused on the form, nothing written; each change is audited.
import t from 'tap'
import { ConsoleClient, loginAs, setup, type TestEnv } from '../helper.ts'

const settingsOf = (env: TestEnv, id: string) =>
  env.db.selectFrom('organizers').select(['locale', 'time_zone']).where('id', '=', id).executeTakeFirstOrThrow()

const auditOf = (env: TestEnv, action: string) =>
  env.db
    .selectFrom('audit_log')
    .select(['actor_id', 'via', 'object_id', 'detail'])
    .where('action', '=', action)
    .execute()

/** A console request with a browser's own language signals. */
function asBrowser(client: ConsoleClient, url: string, o: { cookieLang: string; acceptLanguage: string }) {
  return client.env.app.inject({
    url,
    headers: { cookie: `${client.cookieHeader()}; lang=${o.cookieLang}`, 'accept-language': o.acceptLanguage },
  })
}

t.test('a bad time zone or language comes back on the form with a field error, and nothing is written', async (t) => {
  const env = await setup(t, { workers: false })
  const { client, id } = await loginAs(env, 'organizer')
  const before = await settingsOf(env, id)

  await client.get('/admin/account')
  const bad = await client.post('/admin/account/settings', { locale: 'ko', timeZone: 'Mars/Olympus_Mons' })
  t.equal(bad.statusCode, 400)
  t.match(bad.body, /id="f-timeZone-error">This is not a time zone we know/)
  t.match(bad.body, /<li><a href="#f-timeZone">Time zone: This is not a time zone we know/, 'named in the summary')
  t.match(bad.body, /name="timeZone" type="text" value="Mars\/Olympus_Mons"/, 'what was typed is kept')
  t.match(bad.body, /<option value="ko" selected>/, 'and the language chosen')
  t.match(bad.body, /<html lang="en">/, 'in the language the account has, not the one refused with it')

  for (const timeZone of ['', '+09:00', 'Asia/Seoul; drop table organizers', 'x'.repeat(65)]) {
    const res = await client.post('/admin/account/settings', { locale: 'en', timeZone })
    t.equal(res.statusCode, 400, JSON.stringify(timeZone))
    t.match(res.body, /id="f-timeZone-error"/)
  }
  const language = await client.post('/admin/account/settings', { locale: 'fr', timeZone: 'UTC' })
  t.equal(language.statusCode, 400)
  t.match(language.body, /id="f-locale-error"/)
  t.same(await settingsOf(env, id), before, 'nothing written')
  t.same(await auditOf(env, 'account.settings'), [], 'nothing audited')
})

t.test('settings are saved by their canonical names, audited with what changed, and shown back', async (t) => {
  const env = await setup(t, { workers: false })
  const { client, id } = await loginAs(env, 'organizer')
  await client.get('/admin/account')
  const saved = await client.post('/admin/account/settings', { locale: 'ko', timeZone: ' asia/seoul ' })
  t.equal(saved.statusCode, 303)
  t.equal(saved.headers.location, '/admin/account?saved')
  t.same(await settingsOf(env, id), { locale: 'ko', time_zone: 'Asia/Seoul' })
  const [entry, ...more] = await auditOf(env, 'account.settings')
  t.same(more, [])
  t.match(entry, {
    actor_id: id,
    via: 'console',
    object_id: id,
    detail: { locale: { from: 'en', to: 'ko' }, timeZone: { from: null, to: 'Asia/Seoul' } },
  })

  const page = await client.get('/admin/account?saved')
  t.match(page.body, '<p class="notice" role="status">설정을 저장했습니다.</p>')
  t.match(page.body, /name="timeZone" type="text" value="Asia\/Seoul" autocomplete="off" list="zones"/)
  t.match(page.body, '<option value="Asia/Seoul">')

  // The same again changes nothing and records nothing.
  await client.post('/admin/account/settings', { locale: 'ko', timeZone: 'Asia/Seoul' })
  t.equal((await auditOf(env, 'account.settings')).length, 1)
})

t.test(
  'the console speaks the account language whatever the cookie or Accept-Language; public pages the reader',
  async (t) => {
    const env = await setup(t, { workers: false })
    const { client } = await loginAs(env, 'organizer')
    await client.get('/admin/account')
    await client.post('/admin/account/settings', { locale: 'ko', timeZone: 'UTC' })

    for (const url of ['/admin', '/admin/campaigns', '/admin/account', '/admin/reports/new']) {
      const res = await asBrowser(client, url, { cookieLang: 'zh', acceptLanguage: 'en' })
      t.equal(res.statusCode, 200, url)
      t.match(res.body, '<html lang="ko">', url)
      t.equal(res.headers['content-language'], 'ko', url)
    }
    // A form refused is said in the account's language too.
    const refused = await client.env.app.inject({
      method: 'POST',
      url: '/admin/account/settings',
      headers: {
        cookie: `${client.cookieHeader()}; lang=zh`,
        'accept-language': 'en',
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: new URLSearchParams({ _csrf: client.csrf, locale: 'ko', timeZone: 'Nowhere/At_All' }).toString(),
    })
    t.equal(refused.statusCode, 400)
    t.match(refused.body, '알 수 없는 시간대입니다')

    const home = await asBrowser(client, '/', { cookieLang: 'zh', acceptLanguage: 'en' })
    t.match(home.body, '<html lang="zh-Hans">', "the public site keeps the reader's own language")
    const anonymous = await env.app.inject({ url: '/admin/login', headers: { cookie: 'lang=zh' } })
    t.match(anonymous.body, '<html lang="zh-Hans">', 'so does the login page, before anyone is known')

    // ?lang= on the address is asked for that page alone; the setting stays.
    t.match((await client.get('/admin/campaigns?lang=en')).body, '<html lang="en">')
    t.match((await client.get('/admin/campaigns')).body, '<html lang="ko">')
  },
)

t.test("the header's language buttons change the setting, audited, and come back to the page", async (t) => {
  const env = await setup(t, { workers: false })
  const { client, id } = await loginAs(env, 'organizer')
  const page = await client.get('/admin/campaigns')
  t.match(page.body, /<form method="post" action="\/admin\/account\/language"/)
  t.match(page.body, /<input type="hidden" name="next" value="\/admin\/campaigns">/)
  const res = await client.post('/admin/account/language', { locale: 'zh', next: '/admin/campaigns' })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, '/admin/campaigns')
  t.equal((await settingsOf(env, id)).locale, 'zh')
  t.match((await client.get('/admin/campaigns')).body, '<html lang="zh-Hans">')
  t.match((await auditOf(env, 'account.settings'))[0], { detail: { locale: { from: 'en', to: 'zh' } } })
  const away = await client.post('/admin/account/language', { locale: 'en', next: 'https://evil.example/' })
  t.equal(away.headers.location, '/admin', 'never away from the console')
  t.equal((await client.post('/admin/account/language', { locale: 'xx' })).statusCode, 400)
})

t.test('a first login gives an account the login page language; later logins keep what it has', async (t) => {
  const env = await setup(t, { workers: false })
  const { client, id, email, password } = await loginAs(env, 'organizer')
  t.equal((await settingsOf(env, id)).locale, 'en', 'the first login was in English')
  await client.post('/admin/logout')
  const korean = new ConsoleClient(env)
  await korean.get('/admin/login?lang=ko')
  t.equal((await korean.post('/admin/login', { email, password })).statusCode, 303)
  t.equal((await settingsOf(env, id)).locale, 'en', 'a login page in Korean does not change it')
  t.match((await korean.get('/admin')).body, '<html lang="en">')
})

t.test('console emails go in the organizer language: an invitation from a Korean console', async (t) => {
  const env = await setup(t)
  const { client } = await loginAs(env, 'admin')
  await client.get('/admin/account')
  await client.post('/admin/account/settings', { locale: 'ko', timeZone: 'Asia/Seoul' })
  await client.get('/admin/organizers/new?lang=en')
  const sent = await client.env.app.inject({
    method: 'POST',
    url: '/admin/organizers',
    headers: {
      cookie: `${client.cookieHeader()}; lang=en`,
      'accept-language': 'en',
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: new URLSearchParams({
      _csrf: client.csrf,
      email: 'hana@example.org',
      name: 'Hana',
      role: 'organizer',
    }).toString(),
  })
  t.equal(sent.statusCode, 303)
  const [mail] = await env.smtp.waitFor(1)
  t.match(mail!.parsed.subject, /[가-힣]/, 'the subject is Korean')
  t.match(mail!.parsed.text, /lang=ko/, 'and its link opens in Korean')
})
