import t from 'tap'
import { loginAs, setup } from '../helper.ts'

const fields = {
  title: 'Release the Tumen detainees',
  summary: 'Held for return.',
  target: 'The Government',
  asks: 'Stop the returns\nLet UNHCR in\n',
  body: 'Some **bold** text <script>alert(1)</script>',
  goal: '500',
  deadline: '',
  locale: 'en',
}

t.test('create with a preview, keep typed values on errors, then edit', async (t) => {
  const env = await setup(t, { workers: false })
  const { client } = await loginAs(env, 'organizer')
  await client.get('/admin/campaigns/new')
  const preview = await client.post('/admin/campaigns', { ...fields, intent: 'preview' })
  t.equal(preview.statusCode, 200)
  t.match(preview.body, /<strong>bold<\/strong>/, 'the Markdown is rendered in the preview')
  t.notMatch(preview.body, /<script>alert/, 'raw HTML is not')
  t.equal((await env.db.selectFrom('campaigns').select('id').execute()).length, 0, 'a preview writes nothing')

  const bad = await client.post('/admin/campaigns', {
    ...fields,
    title: '',
    goal: 'lots',
    deadline: '2001-01-01',
    slug: 'Bad Slug',
  })
  t.equal(bad.statusCode, 400)
  for (const f of ['title', 'goal', 'slug']) t.match(bad.body, new RegExp(`id="f-${f}-error"`), `${f} error shown`)
  t.match(bad.body, /value="lots"/, 'typed values are kept')
  t.match(bad.body, />Held for return.<\/textarea>/)
  const past = await client.post('/admin/campaigns', { ...fields, deadline: '2001-01-01' })
  t.equal(past.statusCode, 400)
  t.match(past.body, /id="f-deadline-error">The deadline must be in the future/)

  const created = await client.post('/admin/campaigns', { ...fields, slug: 'tumen', deadline: '2099-05-01' })
  t.equal(created.statusCode, 303)
  t.equal(created.headers.location, '/admin/campaigns/tumen')
  const row = await env.db
    .selectFrom('campaigns')
    .select(['asks', 'goal', 'deadline', 'status'])
    .where('slug', '=', 'tumen')
    .executeTakeFirstOrThrow()
  t.same(row.asks, ['Stop the returns', 'Let UNHCR in'])
  t.equal(row.goal, 500)
  t.equal(row.deadline?.toISOString(), '2099-05-01T00:00:00.000Z')
  t.equal(row.status, 'draft')
  await client.post('/admin/campaigns', { ...fields, slug: 'dandong', locale: 'ko', title: '단둥 구금자를 석방하라' })
  const list = await client.get('/admin/campaigns?lang=zh')
  t.match(
    list.body,
    /<a href="\/admin\/campaigns\/dandong" lang="ko">단둥 구금자를 석방하라<\/a>/,
    'a title is marked with its own language',
  )
  t.match(list.body, /<a href="\/admin\/campaigns\/tumen" lang="en">/)
  const taken = await client.post('/admin/campaigns', { ...fields, slug: 'tumen' })
  t.equal(taken.statusCode, 409)
  t.match(taken.body, /id="f-slug-error"/)

  await client.get('/admin/campaigns/tumen/edit')
  const edited = await client.post('/admin/campaigns/tumen/edit', { ...fields, title: 'New title', goal: '900' })
  t.equal(edited.statusCode, 303)
  const after = await env.db
    .selectFrom('campaigns')
    .select(['title', 'goal', 'deadline', 'updated_at', 'created_at'])
    .where('slug', '=', 'tumen')
    .executeTakeFirstOrThrow()
  t.equal(after.title, 'New title')
  t.equal(after.deadline, null, 'the deadline can be cleared')
  t.ok(after.updated_at >= after.created_at)
  const audit = await env.db.selectFrom('audit_log').select(['action', 'detail']).orderBy('id').execute()
  t.same(
    audit.filter((a) => a.action.startsWith('campaign.')).map((a) => a.action),
    ['campaign.create', 'campaign.create', 'campaign.update'],
  )
  t.same((audit.at(-1)!.detail as { fields: string[] }).fields.sort(), ['deadline', 'goal', 'title'])
})

t.test('launch, close and reopen; the public page follows at once', async (t) => {
  const env = await setup(t, { workers: false })
  const { client } = await loginAs(env, 'organizer')
  await client.get('/admin/campaigns/new')
  await client.post('/admin/campaigns', { ...fields, slug: 'states' })
  await client.get('/admin/campaigns/states')
  t.equal((await env.app.inject({ url: '/campaigns/states' })).statusCode, 404, 'a draft is not public')
  t.equal((await client.post('/admin/campaigns/states/reopen')).statusCode, 409, 'a draft cannot be reopened')
  t.equal((await client.post('/admin/campaigns/states/launch')).statusCode, 303)
  t.match((await env.app.inject({ url: '/campaigns/states' })).body, /Release the Tumen detainees/)
  await client.post('/admin/campaigns/states/edit', { ...fields, title: 'Changed while live' })
  t.match(
    (await env.app.inject({ url: '/campaigns/states' })).body,
    /Changed while live/,
    'the cached page is forgotten',
  )
  t.equal((await client.post('/admin/campaigns/states/close', { confirm: '1' })).statusCode, 303)
  t.match((await env.app.inject({ url: '/campaigns/states' })).body, /This campaign is closed/)
  t.equal((await client.post('/admin/campaigns/states/launch')).statusCode, 409)
  t.equal((await client.post('/admin/campaigns/states/reopen')).statusCode, 303)
  t.equal((await env.db.selectFrom('campaigns').select('status').executeTakeFirstOrThrow()).status, 'live')
  const actions = (await env.db.selectFrom('audit_log').select('action').orderBy('id').execute()).map((r) => r.action)
  t.same(
    actions.filter((a) => /launch|close|reopen/.test(a)),
    ['campaign.launch', 'campaign.close', 'campaign.reopen'],
  )
})

t.test('translations per language, shown to readers of that language', async (t) => {
  const env = await setup(t, { workers: false })
  const { client } = await loginAs(env, 'organizer')
  await client.get('/admin/campaigns/new')
  await client.post('/admin/campaigns', { ...fields, slug: 'trans' })
  await client.post('/admin/campaigns/trans/launch')
  const form = await client.get('/admin/campaigns/trans/translations/ko')
  t.equal(form.statusCode, 200)
  t.notMatch(form.body, /<form[^>]*lang=/, 'the console labels are not marked Korean')
  t.match(form.body, /id="f-title-hint" lang="en">/, 'the original, marked with its language')
  t.match(form.body, /<input id="f-title" name="title" type="text" lang="ko"/, "what is typed, with the translation's")
  t.match(form.body, /<textarea id="f-body" name="body" rows="14" lang="ko"/)
  t.equal((await client.get('/admin/campaigns/trans/translations/fr')).statusCode, 404)
  const long = await client.post('/admin/campaigns/trans/translations/ko', { title: 'x'.repeat(201), summary: '요약' })
  t.equal(long.statusCode, 400)
  t.match(long.body, />요약<\/textarea>/)
  const saved = await client.post('/admin/campaigns/trans/translations/ko', {
    title: '두만강 구금자를 석방하라',
    summary: '요약',
    asks: '송환 중단\n',
  })
  t.equal(saved.statusCode, 303)
  const page = await env.app.inject({ url: '/campaigns/trans?lang=ko' })
  t.match(page.body, /두만강 구금자를 석방하라/)
  const row = await env.db.selectFrom('campaigns').select('translations').executeTakeFirstOrThrow()
  t.same(row.translations, { ko: { title: '두만강 구금자를 석방하라', summary: '요약', asks: ['송환 중단'] } })
})

t.test('the list shows status and counts, and pages', async (t) => {
  const env = await setup(t, { workers: false })
  const { client } = await loginAs(env, 'organizer')
  await client.get('/admin/campaigns/new')
  for (let i = 0; i < 27; i++)
    await client.post('/admin/campaigns', { ...fields, slug: `c-${String(i).padStart(2, '0')}` })
  const first = await client.get('/admin/campaigns')
  t.match(first.body, /No filter: 27 in all\./)
  const older = /href="(\/admin\/campaigns\?after=[\w-]+)" rel="next"/.exec(first.body)?.[1]
  const second = await client.get(older!)
  t.equal((second.body.match(/<tr>/g) ?? []).length, 1 + 2, 'two rows and the header')
  t.match(second.body, /href="\/admin\/campaigns\?before=[\w-]+" rel="prev"/, 'and a link back')
  t.equal((await client.get('/admin/campaigns?page=99')).statusCode, 200, 'an old numbered link shows the first page')
  t.match(first.body, /class="badge badge-draft"/)
})
