// Webhooks in the console: the page in each language, registering with the secret shown once, bad
// input re-rendered naming the field in the reader's language, a test event audited.
import t from 'tap'
import { loginAs, setup } from '../helper.ts'

const PUBLIC = 'https://93.184.216.34/hooks'

t.test('the webhooks page renders in en, ko and zh', async (t) => {
  const env = await setup(t, { workers: false })
  const { client } = await loginAs(env, 'organizer')
  const titles = { en: 'Webhooks', ko: '웹훅', zh: 'Webhook' }
  const hints = { en: 'Choose at least one', ko: '하나 이상 고르세요', zh: '至少选择一个' }
  for (const [lang, title] of Object.entries(titles)) {
    const page = await client.get(`/admin/webhooks?lang=${lang}`)
    t.equal(page.statusCode, 200, lang)
    t.match(page.body, `<h1>${title}</h1>`)
    t.match(page.body, hints[lang as keyof typeof hints])
    for (const e of [
      'report.published',
      'alert.completed',
      'campaign.launched',
      'campaign.milestone',
      'campaign.update',
    ]) {
      t.match(page.body, `value="${e}"`)
    }
  }
  const anonymous = await env.app.inject({ url: '/admin/webhooks' })
  t.equal(anonymous.statusCode, 303, 'behind the session')
})

t.test('registering in the console shows the secret once; bad input is re-rendered, nothing written', async (t) => {
  const env = await setup(t, { workers: false })
  const { client } = await loginAs(env, 'organizer')
  await client.get('/admin/webhooks')
  const noCsrf = await client.post('/admin/webhooks', { url: PUBLIC, events: 'report.published' }, false)
  t.equal(noCsrf.statusCode, 403, 'CSRF checked')

  const badUrl = await client.post('/admin/webhooks?lang=ko', { url: 'ftp://x', events: 'report.published' })
  t.equal(badUrl.statusCode, 400)
  t.match(badUrl.body, /https:\/\/ 또는 http:\/\/로 시작하고/, 'the URL refused in Korean')
  t.match(badUrl.body, /value="report.published" checked/, 'what was ticked stays ticked')
  const privateUrl = await client.post('/admin/webhooks?lang=zh', {
    url: 'http://127.0.0.1/x',
    events: 'report.published',
  })
  t.equal(privateUrl.statusCode, 400)
  t.match(privateUrl.body, /此地址指向本机或私有网络/, 'a private address refused in Chinese')
  const noEvents = await client.post('/admin/webhooks?lang=en', { url: PUBLIC })
  t.equal(noEvents.statusCode, 400)
  t.match(noEvents.body, /Choose at least one event from the list/)
  t.equal((await env.db.selectFrom('webhooks').select('id').execute()).length, 0, 'nothing written')

  // Two events ticked: a form sends the field twice.
  const body = new URLSearchParams({ _csrf: client.csrf, url: PUBLIC })
  body.append('events', 'report.published')
  body.append('events', 'campaign.update')
  const made = await env.app.inject({
    method: 'POST',
    url: '/admin/webhooks',
    headers: { cookie: client.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
    payload: body.toString(),
  })
  t.equal(made.statusCode, 200)
  const secret = /id="new-secret"[^>]*value="(whsec_[^"]+)"/.exec(made.body)?.[1]
  t.ok(secret, 'the secret is shown')
  const row = await env.db.selectFrom('webhooks').select(['id', 'events', 'secret']).executeTakeFirstOrThrow()
  t.same(row.events, ['report.published', 'campaign.update'])
  t.equal(row.secret, secret)
  const list = await client.get('/admin/webhooks')
  t.notMatch(list.body, /whsec_/, 'and never again')
  t.match(list.body, '93.184.216.34/hooks')
  const show = await client.get(`/admin/webhooks/${row.id}?lang=ko`)
  t.equal(show.statusCode, 200)
  t.match(show.body, /아직 보낸 것이 없습니다/)
  t.notMatch(show.body, /whsec_/)

  const sent = await client.post(`/admin/webhooks/${row.id}/test`)
  t.equal(sent.statusCode, 303)
  t.match(String(sent.headers.location), `/admin/webhooks/${row.id}?sent=1`)
  const delivery = await env.db.selectFrom('webhook_deliveries').select(['event', 'status']).executeTakeFirstOrThrow()
  t.same(delivery, { event: 'webhook.test', status: 'pending' })
  const audit = await env.db
    .selectFrom('audit_log')
    .select(['action', 'via'])
    .where('object_type', '=', 'webhook')
    .orderBy('id')
    .execute()
  t.same(audit, [
    { action: 'webhook.create', via: 'console' },
    { action: 'webhook.test', via: 'console' },
  ])
  const missing = await client.get('/admin/webhooks/999')
  t.equal(missing.statusCode, 404)
})
