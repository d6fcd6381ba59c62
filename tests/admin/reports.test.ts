import t from 'tap'
import { systemActor } from '../../src/modules/audit/service.ts'
import { createReport, publishReport, retractReport } from '../../src/modules/reports/service.ts'
import { eventually, liveCampaign, loginAs, setup, type TestEnv } from '../helper.ts'
import { activeSubscriber, mailsTo } from '../alerts/helpers.ts'

// Test data, set up as an operator would, outside the console and the API.
const fixtures = systemActor('cli')

const fields = {
  occurredOn: '2021-07-14',
  placeName: 'Changbai county',
  province: 'Jilin',
  country: 'CN',
  peopleCount: '47',
  kind: 'detention',
  summary: 'At least 47 North Koreans held in Changbai county.',
  sourceName: 'Human Rights Watch',
  sourceUrl: 'https://www.hrw.org/news/2021/07/22/china-forcibly-return-refugees-north-korea',
  confidence: 'credible',
  campaign: '',
  locale: 'en',
}

const apiInput = {
  occurredOn: '2021-07-15',
  place: { name: 'Dandong', province: 'Liaoning', country: 'CN' },
  peopleCount: 180,
  kind: 'detention' as const,
  summary: 'Held in Dandong.',
  confidence: 'credible' as const,
}

/** A published report made through the service, as the API would; returns its ids. */
async function published(env: TestEnv) {
  const report = await createReport(env.db, fixtures, apiInput)
  const { alertId } = await publishReport(env.db, fixtures, report.id)
  return { reportId: report.id, alertId }
}

const auditOf = (env: TestEnv, prefix: string) =>
  env.db
    .selectFrom('audit_log')
    .select(['actor_id', 'via', 'action', 'object_type', 'object_id'])
    .where('action', 'like', `${prefix}%`)
    .orderBy('id')
    .execute()

const controlForms = (body: string) =>
  [...body.matchAll(/action="\/admin\/alerts\/\d+\/(pause|resume|cancel)"/g)].map((m) => m[1])

t.test(
  'the create form re-renders with each error and what was typed; a valid one makes an audited draft',
  async (t) => {
    const env = await setup(t, { workers: false })
    const slug = await liveCampaign(env)
    const { client, id } = await loginAs(env, 'organizer')
    const form = await client.get('/admin/reports/new')
    t.equal(form.statusCode, 200)
    t.match(form.body, new RegExp(`<option value="${slug}">`), 'existing campaigns are offered')
    t.match(form.body, /<option value="CN" selected>/)

    const bad = await client.post('/admin/reports', {
      ...fields,
      occurredOn: '2999-01-01',
      placeName: '',
      country: 'XX',
      peopleCount: 'many',
      kind: '',
      sourceUrl: 'ftp://example.org/x',
    })
    t.equal(bad.statusCode, 400)
    t.match(bad.body, /id="f-occurredOn-error">The date cannot be in the future/)
    t.match(bad.body, /id="f-placeName-error">/)
    t.match(bad.body, /id="f-country-error">Choose a country from the list/)
    t.match(bad.body, /id="f-peopleCount-error">Enter a whole number from 0 to 1,000,000/)
    t.match(bad.body, /id="f-kind-error">This field is required/)
    t.match(bad.body, /id="f-sourceUrl-error">Enter a web address/)
    t.notMatch(bad.body, /id="f-(summary|confidence|province)-error"/, 'valid fields carry no error')
    t.match(bad.body, /value="many"/, 'typed values are kept')
    t.match(bad.body, /value="Jilin"/)
    t.match(bad.body, />At least 47 North Koreans held in Changbai county.<\/textarea>/)
    t.match(bad.body, /<option value="credible" selected>/)

    const gone = await client.post('/admin/reports', { ...fields, campaign: 'no-such-campaign' })
    t.equal(gone.statusCode, 400)
    t.match(gone.body, /id="f-campaign-error">Choose a campaign from the list/)
    t.equal((await env.db.selectFrom('reports').select('id').execute()).length, 0, 'nothing was written')

    const created = await client.post('/admin/reports', { ...fields, campaign: slug, sourceName: '' })
    t.equal(created.statusCode, 303)
    const row = await env.db
      .selectFrom('reports')
      .select(['id', 'status', 'created_by', 'source_name', 'people_count', 'campaign_id'])
      .executeTakeFirstOrThrow()
    t.equal(created.headers.location, `/admin/reports/${row.id}`)
    t.match(row, { status: 'draft', created_by: id, source_name: null, people_count: 47 })
    t.ok(row.campaign_id, 'filed under the campaign')
    t.same(await auditOf(env, 'report.'), [
      { actor_id: id, via: 'console', action: 'report.create', object_type: 'report', object_id: row.id },
    ])

    const page = await client.get(created.headers.location as string)
    t.equal(page.statusCode, 200)
    t.match(page.body, /action="\/admin\/reports\/\d+\/publish"/, 'a draft can be published')
    t.notMatch(page.body, /\/retract"/, 'a draft cannot be retracted')
    t.equal((await client.get('/admin/reports/999999')).statusCode, 404)
  },
)

t.test('the list shows every report with its status and alert, and pages', async (t) => {
  const env = await setup(t, { workers: false })
  const { client } = await loginAs(env, 'organizer')
  t.match((await client.get('/admin/reports')).body, /There are no reports yet/)
  for (let i = 0; i < 25; i++) await createReport(env.db, fixtures, { ...apiInput, peopleCount: i })
  const { alertId } = await published(env)
  const first = await client.get('/admin/reports')
  t.equal(first.statusCode, 200)
  t.match(first.body, /No filter: 26 in all\./)
  const older = /href="(\/admin\/reports\?after=[\w-]+)" rel="next"/.exec(first.body)?.[1]
  t.ok(older, 'a link to the older ones')
  t.match(first.body, /class="badge badge-published">Published/, 'the newest first')
  t.match(first.body, new RegExp(`href="/admin/alerts/${alertId}"`), 'a published report links to its alert')
  t.match(first.body, /class="badge badge-draft">Draft/)
  t.match(first.body, /Liaoning/)
  const second = await client.get(older!)
  t.equal((second.body.match(/<tr>/g) ?? []).length, 1 + 1, 'one row and the header')
  t.match(first.body, /href="\/admin\/reports"/, 'the console navigation has Reports')
  t.match((await client.get('/admin/reports?lang=ko')).body, /사건 보고/)
})

t.test('publish from the console: the alert page shows the progress until the one subscriber is sent', async (t) => {
  const env = await setup(t)
  await activeSubscriber(env, 'reader@example.org')
  const { client, id } = await loginAs(env, 'organizer')
  await client.get('/admin/reports/new')
  const created = await client.post('/admin/reports', fields)
  const reportUrl = created.headers.location as string
  await client.get(reportUrl)
  const publish = await client.post(`${reportUrl}/publish`)
  t.equal(publish.statusCode, 303)
  const alertUrl = publish.headers.location as string
  t.match(alertUrl, /^\/admin\/alerts\/\d+$/)

  const done = await eventually(
    async () => {
      const res = await client.get(alertUrl)
      return /<dt>Sent<\/dt><dd>1<\/dd>/.test(res.body) && /Done/.test(res.body) ? res : undefined
    },
    20_000,
    'the alert page to show one sent',
  )
  t.match(done.body, /<dt>Recipients<\/dt><dd>1<\/dd>/)
  t.match(done.body, /<dt>Failed<\/dt><dd>0<\/dd>/)
  t.match(done.body, /<dt>Waiting<\/dt><dd>0<\/dd>/)
  t.match(done.body, new RegExp(`href="${alertUrl}"[^>]*>Refresh`), 'a refresh link, no script')
  t.same(controlForms(done.body), [], 'a finished alert has no controls')
  t.equal(mailsTo(env, 'reader@example.org').length, 2, 'the confirmation and the alert')

  await client.get(reportUrl)
  const again = await client.post(`${reportUrl}/publish`)
  t.equal(again.statusCode, 409)
  t.match(again.body, /This report is no longer a draft/, 'a clear message on the report page')
  t.match(again.body, /class="badge badge-published"/)
  t.same(
    (await auditOf(env, 'report.')).map((a) => [a.action, a.actor_id, a.via]),
    [
      ['report.create', id, 'console'],
      ['report.publish', id, 'console'],
    ],
  )
})

t.test('pause, resume and cancel appear only when allowed, and each is audited', async (t) => {
  // No workers: the alert stays where the controls put it.
  const env = await setup(t, { workers: false })
  const { alertId } = await published(env)
  const { client, id } = await loginAs(env, 'organizer')
  const url = `/admin/alerts/${alertId}`
  t.same(controlForms((await client.get(url)).body), ['pause', 'cancel'])

  t.equal((await client.post(`${url}/pause`)).statusCode, 303)
  const paused = await client.get(url)
  t.match(paused.body, /Paused/)
  t.same(controlForms(paused.body), ['resume', 'cancel'])

  const early = await client.post(`${url}/resume`)
  t.equal(early.statusCode, 303)
  t.same(controlForms((await client.get(url)).body), ['pause', 'cancel'])

  t.equal((await client.post(`${url}/cancel`, { confirm: '1' })).statusCode, 303)
  const cancelled = await client.get(url)
  t.match(cancelled.body, /Cancelled/)
  t.same(controlForms(cancelled.body), [])
  const late = await client.post(`${url}/resume`)
  t.equal(late.statusCode, 409)
  t.match(late.body, /no longer in a state that allows this/)

  t.equal((await env.db.selectFrom('alerts').select('status').executeTakeFirstOrThrow()).status, 'cancelled')
  t.same(
    await auditOf(env, 'alert.'),
    ['alert.pause', 'alert.resume', 'alert.cancel'].map((action) => ({
      actor_id: id,
      via: 'console',
      action,
      object_type: 'alert',
      object_id: alertId,
    })),
  )
  t.equal((await client.get('/admin/alerts/999999')).statusCode, 404)
})

t.test('retracting needs a public note, and only a published report can be retracted', async (t) => {
  const env = await setup(t, { workers: false })
  const { reportId } = await published(env)
  const { client, id } = await loginAs(env, 'organizer')
  const url = `/admin/reports/${reportId}`
  const page = await client.get(url)
  t.match(page.body, new RegExp(`action="${url}/retract"`))
  t.notMatch(page.body, /\/publish"/, 'a published report cannot be published')

  const empty = await client.post(`${url}/retract`, { note: '   ' })
  t.equal(empty.statusCode, 400)
  t.match(empty.body, /id="f-note-error"/)
  t.equal((await env.db.selectFrom('reports').select('status').executeTakeFirstOrThrow()).status, 'published')

  const done = await client.post(`${url}/retract`, { note: 'The date was wrong; it happened a year earlier.' })
  t.equal(done.statusCode, 303)
  const retraction = await env.db
    .selectFrom('alerts')
    .select('id')
    .where('kind', '=', 'retraction')
    .executeTakeFirstOrThrow()
  t.equal(done.headers.location, `/admin/alerts/${retraction.id}`, 'to the correction alert')
  const row = await env.db.selectFrom('reports').select(['status', 'correction_note']).executeTakeFirstOrThrow()
  t.same(row, { status: 'retracted', correction_note: 'The date was wrong; it happened a year earlier.' })

  const shown = await client.get(url)
  t.match(shown.body, /The date was wrong/)
  t.match(shown.body, /Correction alert/)
  t.notMatch(shown.body, /\/retract"/)
  const twice = await client.post(`${url}/retract`, { note: 'Again.' })
  t.equal(twice.statusCode, 409)
  t.match(twice.body, /Only a published report can be retracted/)
  t.same(
    (await auditOf(env, 'report.retract')).map((a) => [a.actor_id, a.via, a.object_id]),
    [[id, 'console', reportId]],
  )
})

t.test('organizers and admins reach the report screens; every new route declares organizer access', async (t) => {
  const env = await setup(t, { workers: false })
  const routes = env.app.adminRoutes.filter((r) => /^\/admin\/(reports|alerts)/.test(r.url))
  t.same(routes.map((r) => `${r.method} ${r.url}`).sort(), [
    'GET /admin/alerts/:id',
    'GET /admin/reports',
    'GET /admin/reports/:id',
    'GET /admin/reports/:id/delete',
    'GET /admin/reports/:id/edit',
    'GET /admin/reports/:id/preview/:locale',
    'GET /admin/reports/:id/preview/:locale/html',
    'GET /admin/reports/:id/translations/:locale',
    'GET /admin/reports/new',
    'HEAD /admin/alerts/:id',
    'HEAD /admin/reports',
    'HEAD /admin/reports/:id',
    'HEAD /admin/reports/:id/delete',
    'HEAD /admin/reports/:id/edit',
    'HEAD /admin/reports/:id/preview/:locale',
    'HEAD /admin/reports/:id/preview/:locale/html',
    'HEAD /admin/reports/:id/translations/:locale',
    'HEAD /admin/reports/new',
    'POST /admin/alerts/:id/cancel',
    'POST /admin/alerts/:id/pause',
    'POST /admin/alerts/:id/resume',
    'POST /admin/reports',
    'POST /admin/reports/:id/delete',
    'POST /admin/reports/:id/edit',
    'POST /admin/reports/:id/publish',
    'POST /admin/reports/:id/retract',
    'POST /admin/reports/:id/translations/:locale',
  ])
  t.ok(routes.every((r) => r.access === 'organizer'))
  for (const role of ['organizer', 'admin'] as const) {
    const { client } = await loginAs(env, role)
    for (const url of ['/admin/reports', '/admin/reports/new'])
      t.equal((await client.get(url)).statusCode, 200, `${role} ${url}`)
  }
  const anonymous = await env.app.inject({ url: '/admin/reports/new' })
  t.equal(anonymous.statusCode, 303)
})

const translationsOf = async (env: TestEnv) =>
  (await env.db.selectFrom('reports').select('translations').executeTakeFirstOrThrow()).translations

t.test('the written-in language starts as the console language and is kept with the report', async (t) => {
  const env = await setup(t, { workers: false })
  const { client } = await loginAs(env, 'organizer')
  const english = await client.get('/admin/reports/new')
  t.match(english.body, /<option value="en" selected>English<\/option>/)
  t.match(english.body, /<option value="ko">한국어<\/option>/)
  t.match((await client.get('/admin/reports/new?lang=zh')).body, /<option value="zh" selected>简体中文<\/option>/)
  const korean = await client.get('/admin/reports/new?lang=ko')
  t.match(korean.body, /<option value="ko" selected>한국어<\/option>/)
  t.match(korean.body, /작성 언어/)

  await client.get('/admin/reports/new?lang=en')
  for (const locale of ['', 'fr']) {
    const bad = await client.post('/admin/reports', { ...fields, locale })
    t.equal(bad.statusCode, 400, `locale '${locale}'`)
    t.match(
      bad.body,
      locale ? /id="f-locale-error">Choose a language from the list/ : /id="f-locale-error">This field is required/,
    )
  }
  t.equal((await env.db.selectFrom('reports').select('id').execute()).length, 0, 'nothing was written')

  const created = await client.post('/admin/reports', {
    ...fields,
    locale: 'ko',
    placeName: '창바이현',
    province: '지린성',
  })
  t.equal(created.statusCode, 303)
  t.same(await env.db.selectFrom('reports').select(['locale', 'translations']).executeTakeFirstOrThrow(), {
    locale: 'ko',
    translations: {},
  })
  const page = await client.get(created.headers.location as string)
  t.match(page.body, /<th scope="row">Written in<\/th><td lang="ko">한국어<\/td>/)
  t.match(page.body, /<span lang="ko">창바이현, 지린성<\/span>/)
})

t.test('a Korean report translated into English from its page: saved, audited, shown, then removed', async (t) => {
  const env = await setup(t, { workers: false })
  const { client, id } = await loginAs(env, 'organizer')
  await client.get('/admin/reports/new')
  const summary = '창바이현에 북한 주민 최소 47명이 구금되어 있다.'
  const created = await client.post('/admin/reports', {
    ...fields,
    locale: 'ko',
    placeName: '창바이현',
    province: '지린성',
    summary,
  })
  const reportUrl = created.headers.location as string
  const reportId = reportUrl.split('/').pop()!
  const url = `${reportUrl}/translations/en`

  const report = await client.get(reportUrl)
  t.match(report.body, new RegExp(`href="${reportUrl}/translations/en" lang="en">English</a>\\s*— not translated`))
  t.match(report.body, new RegExp(`href="${reportUrl}/translations/zh" lang="zh">简体中文</a>\\s*— not translated`))
  t.notMatch(report.body, /\/translations\/ko"/, 'no translation into its own language')
  t.equal((await client.get(`${reportUrl}/translations/ko`)).statusCode, 404, 'its own language')
  t.equal((await client.get(`${reportUrl}/translations/fr`)).statusCode, 404, 'a language the site does not speak')
  t.equal((await client.get('/admin/reports/999999/translations/en')).statusCode, 404)

  const form = await client.get(url)
  t.equal(form.statusCode, 200)
  t.match(form.body, /English translation: report \d+/)
  t.match(
    form.body,
    new RegExp(`id="f-summary-hint" lang="ko">${summary}</p>`),
    'the original above the field, marked Korean',
  )
  t.match(form.body, /id="f-placeName-hint" lang="ko">창바이현<\/p>/)
  t.match(form.body, /<label for="f-summary">Summary<\/label>/, 'the label stays in the console language, unmarked')
  t.match(
    form.body,
    /<textarea id="f-summary" name="summary" rows="8" lang="en"[^>]*><\/textarea>/,
    'nothing translated yet',
  )

  const long = await client.post(url, { summary: 'x'.repeat(5001), placeName: 'Changbai county', province: '' })
  t.equal(long.statusCode, 400)
  t.match(long.body, /id="f-summary-error">This is too long \(at most 5000 characters\)/)
  t.match(long.body, /name="placeName" type="text" lang="en" value="Changbai county"/, 'what was typed is kept')
  t.match(long.body, new RegExp(`>${'x'.repeat(5001)}</textarea>`))
  t.same(await translationsOf(env), {}, 'nothing was written')
  t.same(await auditOf(env, 'report.translate'), [])

  const english = 'At least 47 North Koreans are held in Changbai county.'
  const saved = await client.post(url, { summary: ` ${english} `, placeName: 'Changbai county', province: 'Jilin' })
  t.equal(saved.statusCode, 303)
  t.equal(saved.headers.location, `${reportUrl}?translated=en`)
  t.same(await translationsOf(env), { en: { summary: english, place: { name: 'Changbai county', province: 'Jilin' } } })
  t.same(await auditOf(env, 'report.translate'), [
    { actor_id: id, via: 'console', action: 'report.translate', object_type: 'report', object_id: reportId },
  ])
  const shown = await client.get(saved.headers.location as string)
  t.match(shown.body, /class="notice" role="status">The English translation is saved\./)
  t.match(shown.body, />English<\/a>\s*— translated/)
  t.match(shown.body, />简体中文<\/a>\s*— not translated/)
  t.match(
    (await client.get(url)).body,
    new RegExp(`lang="en"[^>]*>${english}</textarea>`),
    'the form shows the translation',
  )

  const partial = await client.post(url, { summary: '', placeName: 'Changbai', province: '' })
  t.equal(partial.statusCode, 303, 'an empty field is not translated')
  t.same(await translationsOf(env), { en: { place: { name: 'Changbai' } } })

  const cleared = await client.post(url, { summary: ' ', placeName: '', province: '' })
  t.equal(cleared.statusCode, 303)
  t.equal(cleared.headers.location, `${reportUrl}?untranslated=en`)
  t.same(await translationsOf(env), {}, 'all empty removes the translation')
  const after = await client.get(cleared.headers.location as string)
  t.match(after.body, /The English translation is removed\./)
  t.match(after.body, />English<\/a>\s*— not translated/)
  t.equal((await auditOf(env, 'report.translate')).length, 3, 'each change is audited')
})

t.test('a translation is refused without the CSRF token', async (t) => {
  const env = await setup(t, { workers: false })
  const { reportId } = await published(env)
  const { client } = await loginAs(env, 'organizer')
  const url = `/admin/reports/${reportId}/translations/ko`
  await client.get(url)
  const res = await client.post(url, { summary: '요약', placeName: '단둥', province: '랴오닝성' }, false)
  t.equal(res.statusCode, 403)
  t.same(await translationsOf(env), {})
  t.same(await auditOf(env, 'report.translate'), [])
  await client.get(url) // reloaded, as the error page says
  t.equal((await client.post(url, { summary: '요약' })).statusCode, 303, 'with the token it goes through')
  t.same(await translationsOf(env), { ko: { summary: '요약' } }, 'a published report can be translated')
})

t.test('a retracted report cannot be translated: the screen says so and nothing is written', async (t) => {
  const env = await setup(t, { workers: false })
  const { reportId } = await published(env)
  const { client } = await loginAs(env, 'organizer')
  const url = `/admin/reports/${reportId}/translations/zh`
  t.equal((await client.get(url)).statusCode, 200, 'open while published')
  await retractReport(env.db, fixtures, reportId, 'Wrong city.')

  const res = await client.post(url, { summary: '被关押在丹东。', placeName: '丹东', province: '辽宁省' })
  t.equal(res.statusCode, 409)
  t.match(
    res.body,
    /class="error-summary" role="alert">This report is retracted, so its translations can no longer be changed/,
  )
  t.notMatch(res.body, /<form method="post" action="\/admin\/reports\/\d+\/translations/, 'the form is closed')
  t.same(await translationsOf(env), {})
  t.same(await auditOf(env, 'report.translate'), [])

  const page = await client.get(url)
  t.equal(page.statusCode, 200)
  t.match(page.body, /class="notice" role="status">This report is retracted/)
  t.notMatch(page.body, /name="summary"/)
})
