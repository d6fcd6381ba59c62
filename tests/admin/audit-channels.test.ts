import t from 'tap'
import { campaignInput, loginAs, organizerAuth, setup, type TestEnv } from '../helper.ts'

const form = {
  title: 'Release the Tumen detainees',
  summary: 'Held for return.',
  target: 'The Government',
  asks: 'Stop the returns\n',
  body: 'Text.',
  goal: '500',
  deadline: '',
  locale: 'en',
}

const pastDeadline = '2001-01-01'
const koDeadlineError = '마감일은 미래여야 합니다.'

async function auditOf(env: TestEnv, slug: string) {
  const campaign = await env.db.selectFrom('campaigns').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()
  const rows = await env.db
    .selectFrom('audit_log')
    .select(['action', 'via'])
    .where('object_type', '=', 'campaign')
    .where('object_id', '=', campaign.id)
    .orderBy('id')
    .execute()
  return rows
}

/** What time does to a stored deadline: it passes, without anyone setting it. */
const letDeadlinePass = (env: TestEnv, slug: string) =>
  env.db
    .updateTable('campaigns')
    .set({ deadline: new Date(Date.now() - 60_000) })
    .where('slug', '=', slug)
    .execute()

t.test('a reopen is audited as campaign.reopen whether it comes through the API or the console', async (t) => {
  const env = await setup(t, { workers: false })
  const headers = { authorization: await organizerAuth(env.db) }
  const api = (url: string, payload?: object) =>
    env.app.inject({ method: 'POST', url: `/api/v1/campaigns${url}`, headers, ...(payload ? { payload } : {}) })
  t.equal((await api('', { ...campaignInput, slug: 'by-api' })).statusCode, 201)
  t.equal((await api('/by-api/launch')).statusCode, 200)
  t.equal((await api('/by-api/close')).statusCode, 200)
  t.equal((await api('/by-api/launch')).json().status, 'live', "the API's launch reopens a closed campaign")

  const { client } = await loginAs(env, 'organizer')
  await client.get('/admin/campaigns/new')
  t.equal((await client.post('/admin/campaigns', { ...form, slug: 'by-console' })).statusCode, 303)
  for (const step of ['launch', 'close', 'reopen']) {
    // Closing a live campaign asks first: the yes carries confirm=1.
    const fields: Record<string, string> = step === 'close' ? { confirm: '1' } : {}
    t.equal((await client.post(`/admin/campaigns/by-console/${step}`, fields)).statusCode, 303, step)
  }

  const expected = ['campaign.create', 'campaign.launch', 'campaign.close', 'campaign.reopen']
  const byApi = await auditOf(env, 'by-api')
  const byConsole = await auditOf(env, 'by-console')
  t.same(
    byApi.map((r) => r.action),
    expected,
  )
  t.same(
    byConsole.map((r) => r.action),
    expected,
  )
  t.ok(
    byApi.every((r) => r.via === 'api'),
    'the channel is recorded apart',
  )
  t.ok(byConsole.every((r) => r.via === 'console'))
})

t.test(
  'a past deadline is refused on create, update, launch and reopen, through the API and the console',
  async (t) => {
    const env = await setup(t, { workers: false })
    const headers = { authorization: await organizerAuth(env.db) }
    const api = (url: string, payload?: object) =>
      env.app.inject({ method: 'POST', url: `/api/v1/campaigns${url}`, headers, ...(payload ? { payload } : {}) })
    const { client } = await loginAs(env, 'organizer')
    // The console in Korean from here on: the account's own language.
    await client.get('/admin/account')
    await client.post('/admin/account/settings', { locale: 'ko', timeZone: 'UTC' })

    // create
    const apiCreate = await api('', { ...campaignInput, slug: 'api-past', deadline: pastDeadline })
    t.equal(apiCreate.statusCode, 400)
    t.ok(apiCreate.json().fields.deadline, 'the API names the field')
    const consoleCreate = await client.post('/admin/campaigns', {
      ...form,
      slug: 'console-past',
      deadline: pastDeadline,
    })
    t.equal(consoleCreate.statusCode, 400)
    t.match(consoleCreate.body, new RegExp(`id="f-deadline-error">${koDeadlineError}`), "in the reader's language")
    t.match(consoleCreate.body, /value="console-past"/, 'what was typed is kept')
    t.equal((await env.db.selectFrom('campaigns').select('id').execute()).length, 0, 'nothing was created')

    // update (the console's only: the API has no edit)
    t.equal((await client.post('/admin/campaigns', { ...form, slug: 'edited' })).statusCode, 303)
    const edit = await client.post('/admin/campaigns/edited/edit', { ...form, deadline: pastDeadline })
    t.equal(edit.statusCode, 400)
    t.match(edit.body, new RegExp(`id="f-deadline-error">${koDeadlineError}`))
    const edited = await env.db
      .selectFrom('campaigns')
      .select('deadline')
      .where('slug', '=', 'edited')
      .executeTakeFirstOrThrow()
    t.equal(edited.deadline, null, 'the deadline is unchanged')

    // launch, once a stored deadline has passed
    t.equal((await api('', { ...campaignInput, slug: 'api-launch', deadline: '2099-01-01' })).statusCode, 201)
    await letDeadlinePass(env, 'api-launch')
    const apiLaunch = await api('/api-launch/launch')
    t.equal(apiLaunch.statusCode, 409)
    t.ok(apiLaunch.json().fields.deadline)
    await letDeadlinePass(env, 'edited')
    const consoleLaunch = await client.post('/admin/campaigns/edited/launch')
    t.equal(consoleLaunch.statusCode, 409)
    t.match(consoleLaunch.body, koDeadlineError)

    // reopen
    for (const slug of ['api-reopen', 'console-reopen']) {
      t.equal((await api('', { ...campaignInput, slug, deadline: '2099-01-01' })).statusCode, 201)
      t.equal((await api(`/${slug}/launch`)).statusCode, 200)
      t.equal((await api(`/${slug}/close`)).statusCode, 200)
      await letDeadlinePass(env, slug)
    }
    const apiReopen = await api('/api-reopen/launch')
    t.equal(apiReopen.statusCode, 409)
    t.ok(apiReopen.json().fields.deadline)
    const consoleReopen = await client.post('/admin/campaigns/console-reopen/reopen')
    t.equal(consoleReopen.statusCode, 409)
    t.match(consoleReopen.body, koDeadlineError)

    const statuses = await env.db.selectFrom('campaigns').select(['slug', 'status']).orderBy('slug').execute()
    t.same(
      statuses.map((r) => `${r.slug}:${r.status}`),
      ['api-launch:draft', 'api-reopen:closed', 'console-reopen:closed', 'edited:draft'],
      'no refused change happened',
    )
    const actions = (await env.db.selectFrom('audit_log').select('action').execute()).map((r) => r.action)
    t.equal(actions.filter((a) => a === 'campaign.reopen').length, 0, 'nor was recorded')
    t.equal(actions.filter((a) => a === 'campaign.launch').length, 2, 'the two launches before the deadline passed')
  },
)
