// A draft report can be edited and deleted (contract, "Journeys": PATCH and DELETE
// /api/v1/reports/:id for drafts); a published one is corrected by a retraction, never edited
// silently, so both answer 409 once it is out. Each change is audited.
import t from 'tap'
import { organizerAuth, setup } from '../helper.ts'
import { report } from './helpers.ts'

const env = await setup(t, { workers: false })
const headers = { authorization: await organizerAuth(env.db) }
const api = (method: 'POST' | 'PATCH' | 'DELETE' | 'GET', url: string, payload?: object) =>
  env.app.inject({ method, url, headers, ...(payload ? { payload } : {}) })

async function draft() {
  const res = await api('POST', '/api/v1/reports', report)
  t.equal(res.statusCode, 201)
  return res.json<{ id: string }>().id
}

const auditOf = (id: string) =>
  env.db
    .selectFrom('audit_log')
    .select(['action', 'detail'])
    .where('object_type', '=', 'report')
    .where('object_id', '=', id)
    .orderBy('id')
    .execute()

t.test('PATCH changes the fields sent, keeps the rest, and says which changed', async (t) => {
  const id = await draft()
  const res = await api('PATCH', `/api/v1/reports/${id}`, {
    peopleCount: 330,
    place: { name: 'Tumen city', latitude: 42.966, longitude: 129.842 },
  })
  t.equal(res.statusCode, 200)
  t.match(res.json(), {
    id,
    status: 'draft',
    peopleCount: 330,
    summary: report.summary,
    place: { name: 'Tumen city', province: 'Jilin', country: 'CN', latitude: 43, longitude: 129.8 },
  })
  const audit = await auditOf(id)
  t.same(
    audit.map((a) => a.action),
    ['report.create', 'report.edit'],
  )
  t.same((audit[1]!.detail as { changed: string[] }).changed.sort(), ['peopleCount', 'place'])
})

t.test('an edit is judged as a new report is: each bad field named, nothing written', async (t) => {
  const id = await draft()
  for (const [body, field] of [
    [{ peopleCount: -1 }, 'peopleCount'],
    [{ place: { country: 'XX' } }, 'place.country'],
    [{ place: { latitude: 40 } }, 'place.longitude'],
    [{ kind: 'rumour' }, 'kind'],
    [{ campaign: 'no-such-campaign' }, 'campaign'],
    [{ occurredOn: '2999-01-01' }, 'occurredOn'],
  ] as const) {
    const res = await api('PATCH', `/api/v1/reports/${id}`, body)
    t.equal(res.statusCode, 400, JSON.stringify(body))
    t.ok(res.json<{ fields: Record<string, unknown> }>().fields[field], `names ${field}`)
  }
  const unchanged = await api('GET', '/api/v1/reports')
  t.equal(unchanged.statusCode, 200)
  const row = await env.db
    .selectFrom('reports')
    .select(['people_count', 'country'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  t.same(row, { people_count: report.peopleCount, country: 'CN' }, 'the draft is as it was')
})

t.test('DELETE removes a draft, audited; unknown ids are 404', async (t) => {
  const id = await draft()
  const res = await api('DELETE', `/api/v1/reports/${id}`)
  t.equal(res.statusCode, 204)
  t.equal(res.body, '')
  t.notOk(await env.db.selectFrom('reports').select('id').where('id', '=', id).executeTakeFirst())
  t.same(
    (await auditOf(id)).map((a) => a.action),
    ['report.create', 'report.delete'],
  )
  t.equal((await api('DELETE', `/api/v1/reports/${id}`)).statusCode, 404)
  t.equal((await api('PATCH', `/api/v1/reports/${id}`, { peopleCount: 1 })).statusCode, 404)
  t.equal((await api('PATCH', '/api/v1/reports/not-a-number', { peopleCount: 1 })).statusCode, 400)
})

t.test('a published report is neither edited nor deleted: 409, and it stays as published', async (t) => {
  const id = await draft()
  t.equal((await api('POST', `/api/v1/reports/${id}/publish`)).statusCode, 202)
  const edit = await api('PATCH', `/api/v1/reports/${id}`, { peopleCount: 1 })
  t.equal(edit.statusCode, 409)
  const del = await api('DELETE', `/api/v1/reports/${id}`)
  t.equal(del.statusCode, 409)
  const row = await env.db
    .selectFrom('reports')
    .select(['people_count', 'status'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  t.same(row, { people_count: report.peopleCount, status: 'published' })
})

t.test('a read token may not edit or delete', async (t) => {
  const id = await draft()
  const read = { authorization: await organizerAuth(env.db, undefined, 'read') }
  for (const method of ['PATCH', 'DELETE'] as const) {
    const res = await env.app.inject({
      method,
      url: `/api/v1/reports/${id}`,
      headers: read,
      payload: { peopleCount: 2 },
    })
    t.equal(res.statusCode, 403, method)
  }
})
