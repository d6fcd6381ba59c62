// A draft report is edited and deleted in the console (issue 18, point 13): the edit form starts
// from the draft, keeps its translations, re-renders errors in the organizer's language; deleting
// asks first. A published report offers neither, and a direct request is refused.
import t from 'tap'
import { systemActor } from '../../src/modules/audit/service.ts'
import { createReport, publishReport, translateReport } from '../../src/modules/reports/service.ts'
import { loginAs, setup } from '../helper.ts'

const fixtures = systemActor('cli')
const input = {
  occurredOn: '2021-07-15',
  place: { name: 'Dandong', province: 'Liaoning', country: 'CN', latitude: 40.12, longitude: 124.38 },
  peopleCount: 180,
  kind: 'detention' as const,
  summary: 'Held in Dandong.',
  confidence: 'credible' as const,
}

t.test('a draft is edited from its own values; its translation stays; errors name the field', async (t) => {
  const env = await setup(t, { workers: false })
  const draft = await createReport(env.db, fixtures, input)
  await translateReport(env.db, fixtures, draft.id, 'ko', { summary: '단둥에 구금.' })
  const { client } = await loginAs(env, 'organizer')

  const shown = await client.get(`/admin/reports/${draft.id}`)
  t.match(shown.body, `href="/admin/reports/${draft.id}/edit"`, 'a draft offers Edit')
  t.match(shown.body, `href="/admin/reports/${draft.id}/delete"`, 'and Delete')

  const form = await client.get(`/admin/reports/${draft.id}/edit`)
  t.equal(form.statusCode, 200)
  t.match(form.body, `action="/admin/reports/${draft.id}/edit"`)
  t.match(form.body, /name="placeName"[^>]*value="Dandong"/)
  t.match(form.body, /name="latitude"[^>]*value="40.1"/, 'the point as stored: rounded')
  t.match(form.body, /name="peopleCount"[^>]*value="180"/)

  const fields = {
    locale: 'en',
    occurredOn: '2021-07-15',
    placeName: 'Dandong city',
    province: 'Liaoning',
    country: 'CN',
    latitude: '40.1',
    longitude: '124.4',
    peopleCount: 'many',
    kind: 'detention',
    summary: 'Held in Dandong, 181 people.',
    sourceName: '',
    sourceUrl: '',
    confidence: 'credible',
    campaign: '',
  }
  const refused = await client.post(`/admin/reports/${draft.id}/edit`, fields)
  t.equal(refused.statusCode, 400)
  t.match(refused.body, 'aria-invalid="true"')
  t.match(refused.body, /name="peopleCount"[^>]*value="many"/, 'what was typed comes back')
  t.match(refused.body, /name="placeName"[^>]*value="Dandong city"/)

  const saved = await client.post(`/admin/reports/${draft.id}/edit`, { ...fields, peopleCount: '181' })
  t.equal(saved.statusCode, 303)
  t.equal(saved.headers.location, `/admin/reports/${draft.id}?saved=1`)
  const row = await env.db
    .selectFrom('reports')
    .select(['place_name', 'people_count', 'translations', 'status'])
    .where('id', '=', draft.id)
    .executeTakeFirstOrThrow()
  t.same(row, {
    place_name: 'Dandong city',
    people_count: 181,
    translations: { ko: { summary: '단둥에 구금.' } },
    status: 'draft',
  })
  const audit = await env.db.selectFrom('audit_log').select('action').where('action', '=', 'report.edit').execute()
  t.equal(audit.length, 1, 'the edit is audited')
  const page = await client.get(`/admin/reports/${draft.id}?saved=1`)
  t.match(page.body, 'Draft saved.')
})

t.test('deleting a draft asks first, then removes it; a published report offers neither', async (t) => {
  const env = await setup(t, { workers: false })
  const draft = await createReport(env.db, fixtures, input)
  const { client } = await loginAs(env, 'organizer')
  const ask = await client.get(`/admin/reports/${draft.id}/delete?lang=ko`)
  t.equal(ask.statusCode, 200)
  t.match(ask.body, '이 초안을 삭제할까요?')
  t.match(ask.body, `action="/admin/reports/${draft.id}/delete"`)
  t.ok(
    await env.db.selectFrom('reports').select('id').where('id', '=', draft.id).executeTakeFirst(),
    'asking deletes nothing',
  )
  const deleted = await client.post(`/admin/reports/${draft.id}/delete`, {})
  t.equal(deleted.statusCode, 303)
  t.equal(deleted.headers.location, '/admin/reports?deleted=1')
  t.notOk(await env.db.selectFrom('reports').select('id').where('id', '=', draft.id).executeTakeFirst())
  t.match((await client.get('/admin/reports?deleted=1&lang=en')).body, 'The draft was deleted.')

  const out = await createReport(env.db, fixtures, input)
  await publishReport(env.db, fixtures, out.id)
  const shown = await client.get(`/admin/reports/${out.id}`)
  t.notMatch(shown.body, `/admin/reports/${out.id}/edit`, 'no Edit once published')
  t.notMatch(shown.body, `/admin/reports/${out.id}/delete`, 'no Delete')
  t.equal((await client.get(`/admin/reports/${out.id}/edit`)).statusCode, 409)
  t.equal((await client.get(`/admin/reports/${out.id}/delete`)).statusCode, 409)
  const refused = await client.post(`/admin/reports/${out.id}/delete`, {})
  t.equal(refused.statusCode, 409)
  t.ok(await env.db.selectFrom('reports').select('id').where('id', '=', out.id).executeTakeFirst(), 'it stays')
})
