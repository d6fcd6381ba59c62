import t from 'tap'
import { loginAs, setup, type ConsoleClient } from '../helper.ts'

const fields = {
  name: 'Minister of Unification',
  title: 'Minister',
  organisation: 'Ministry of Unification',
  country: 'KR',
  locale: 'ko',
  email: 'unikorea.demo@example.org',
  postalAddress: '',
  website: 'https://www.unikorea.go.kr/',
}

/** A form post with a field given several times (checkboxes), as a browser sends it. */
function postPairs(client: ConsoleClient, url: string, pairs: [string, string][]) {
  const body = new URLSearchParams([['_csrf', client.csrf], ...pairs])
  return client.env.app.inject({
    method: 'POST',
    url,
    headers: { cookie: client.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
    payload: body.toString(),
  })
}

t.test('targets in the console: create, a refused form in Korean, edit, archive; each change audited', async (t) => {
  const env = await setup(t, { workers: false })
  const { client, id } = await loginAs(env, 'organizer')
  const empty = await client.get('/admin/targets?lang=ko')
  t.equal(empty.statusCode, 200)
  t.match(empty.body, /아직 요청 대상이 없습니다/)

  await client.get('/admin/targets/new')
  const noCsrf = await client.post('/admin/targets', fields, false)
  t.equal(noCsrf.statusCode, 403, 'a post without the CSRF token is refused')

  const bad = await client.post('/admin/targets?lang=ko', {
    ...fields,
    name: '',
    country: 'XX',
    email: 'nope',
    website: 'javascript:alert(1)',
  })
  t.equal(bad.statusCode, 400)
  t.match(bad.body, /<html lang="ko"/)
  t.match(bad.body, /id="f-name-error">필수 항목입니다/)
  t.match(bad.body, /id="f-country-error">목록에서 국가를 고르세요/)
  t.match(bad.body, /id="f-email-error">/)
  t.match(bad.body, /id="f-website-error">https:\/\/ 또는 http:\/\/로 시작하는 웹 주소를 입력하세요/)
  t.match(bad.body, /value="Ministry of Unification"/, 'what was typed is kept')
  t.equal((await env.db.selectFrom('targets').select('id').execute()).length, 0)

  const created = await client.post('/admin/targets', { ...fields, platformOnly: 'on' })
  t.equal(created.statusCode, 303)
  t.equal(created.headers.location, '/admin/targets')
  const row = await env.db.selectFrom('targets').selectAll().executeTakeFirstOrThrow()
  t.match(row, { name: fields.name, locale: 'ko', platform_only: true, postal_address: null, email: fields.email })
  const list = await client.get('/admin/targets')
  t.match(list.body, new RegExp(`<a href="/admin/targets/${row.id}/edit">Minister of Unification</a>`))

  const form = await client.get(`/admin/targets/${row.id}/edit`)
  t.match(form.body, /name="platformOnly"[^>]* checked/)
  const edited = await client.post(`/admin/targets/${row.id}/edit`, { ...fields, title: 'Vice Minister' })
  t.equal(edited.statusCode, 303)
  const after = await env.db.selectFrom('targets').select(['title', 'platform_only']).executeTakeFirstOrThrow()
  t.same(after, { title: 'Vice Minister', platform_only: false }, 'an unticked box is false')

  const archived = await client.post(`/admin/targets/${row.id}/archive`)
  t.equal(archived.statusCode, 303)
  t.notMatch((await client.get('/admin/targets')).body, /Minister of Unification/)
  t.equal((await client.get(`/admin/targets/${row.id}/edit`)).statusCode, 404)

  const audit = await env.db
    .selectFrom('audit_log')
    .select(['action', 'actor_id', 'via', 'detail'])
    .where('object_type', '=', 'target')
    .orderBy('id')
    .execute()
  t.same(
    audit.map((a) => [a.action, a.actor_id, a.via]),
    [
      ['target.create', id, 'console'],
      ['target.update', id, 'console'],
      ['target.archive', id, 'console'],
    ],
  )
  t.same((audit[1]!.detail as { fields: string[] }).fields.sort(), ['platformOnly', 'title'])
})

t.test('the campaign form names targets by checkboxes, in order, and refuses an unknown one', async (t) => {
  const env = await setup(t, { workers: false })
  const { client } = await loginAs(env, 'organizer')
  await client.get('/admin/targets/new')
  await client.post('/admin/targets', fields)
  await client.post('/admin/targets', { ...fields, name: 'Ambassador', organisation: 'Embassy', locale: 'zh' })
  const [a, b] = (await env.db.selectFrom('targets').select('id').orderBy('id').execute()).map((r) => r.id)

  const campaign = {
    title: 'Release the Tumen detainees',
    summary: 'Held for return.',
    target: 'The Government',
    asks: 'Stop the returns',
    body: 'Text',
    goal: '500',
    deadline: '',
    locale: 'en',
    slug: 'tumen',
  }
  const blank = await client.get('/admin/campaigns/new')
  t.match(blank.body, new RegExp(`name="targets" value="${a}"`), 'the form offers each target')
  const created = await postPairs(client, '/admin/campaigns', [
    ...Object.entries(campaign),
    ['targets', b!],
    ['targets', a!],
  ])
  t.equal(created.statusCode, 303)
  const linked = () =>
    env.db
      .selectFrom('campaign_targets')
      .select('target_id')
      .orderBy('position')
      .execute()
      .then((rows) => rows.map((r) => r.target_id))
  t.same(await linked(), [b, a], 'in the order of the form')

  const edit = await client.get('/admin/campaigns/tumen/edit?lang=ko')
  t.match(edit.body, new RegExp(`value="${b}" checked`))
  const unknown = await postPairs(client, '/admin/campaigns/tumen/edit?lang=ko', [
    ...Object.entries(campaign),
    ['targets', a!],
    ['targets', '999999'],
  ])
  t.equal(unknown.statusCode, 400)
  t.match(unknown.body, /<p class="error">목록에서 대상을 고르세요/)
  t.match(unknown.body, new RegExp(`value="${a}" checked`), 'the ticked boxes stay ticked')
  t.same(await linked(), [b, a], 'nothing changed')

  const one = await postPairs(client, '/admin/campaigns/tumen/edit', [...Object.entries(campaign), ['targets', a!]])
  t.equal(one.statusCode, 303)
  t.same(await linked(), [a])
  const none = await postPairs(client, '/admin/campaigns/tumen/edit', Object.entries(campaign))
  t.equal(none.statusCode, 303)
  t.same(await linked(), [], 'no box ticked: no targets')
  const updates = await env.db
    .selectFrom('audit_log')
    .select('detail')
    .where('action', '=', 'campaign.update')
    .orderBy('id')
    .execute()
  t.same(
    updates.map((u) => (u.detail as { fields: string[] }).fields),
    [['targets'], ['targets']],
  )
})
