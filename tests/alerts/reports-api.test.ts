import t from 'tap'
import { liveCampaign, organizerAuth, setup } from '../helper.ts'
import { jilinReport } from './helpers.ts'

t.test('reports: create as draft, publish once, invisible to the public until published', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  const headers = { authorization: await organizerAuth(env.db) }
  t.equal((await env.app.inject({ method: 'POST', url: '/api/v1/reports', payload: jilinReport })).statusCode, 401)
  const created = await env.app.inject({
    method: 'POST',
    url: '/api/v1/reports',
    headers,
    payload: { ...jilinReport, campaign: slug },
  })
  t.equal(created.statusCode, 201)
  const r = created.json()
  t.match(r, {
    occurredOn: '2021-07-14',
    place: { name: 'Changbai county', province: 'Jilin', country: 'CN' },
    peopleCount: 47,
    kind: 'detention',
    confidence: 'credible',
    campaign: slug,
    status: 'draft',
    publishedAt: null,
  })
  t.same((await env.app.inject({ url: '/api/v1/reports' })).json().reports, [], 'drafts are not public')
  const published = await env.app.inject({ method: 'POST', url: `/api/v1/reports/${r.id}/publish`, headers })
  t.equal(published.statusCode, 202)
  t.equal(published.json().report.status, 'published')
  t.ok(published.json().alert.id)
  const outbox = await env.db.selectFrom('outbox').select(['kind', 'payload']).execute()
  t.same(
    outbox,
    [{ kind: 'alert.fanout', payload: { alertId: published.json().alert.id } }],
    'the fan-out was asked for in the same transaction',
  )
  t.equal((await env.app.inject({ method: 'POST', url: `/api/v1/reports/${r.id}/publish`, headers })).statusCode, 409)
  t.equal((await env.app.inject({ method: 'POST', url: '/api/v1/reports/424242/publish', headers })).statusCode, 404)

  const body = (await env.app.inject({ url: '/api/v1/reports' })).json()
  t.equal(body.reports.length, 1)
  t.same(body.totals.byKind, [{ kind: 'detention', people: 47, reports: 1 }])
  t.same(body.totals.byPlace, [
    { place: 'Changbai county', province: 'Jilin', country: 'CN', people: 47, reports: 1, translations: {} },
  ])
})

t.test('each invalid report field gets a 400 naming it, and nothing is written', async (t) => {
  const env = await setup(t, { workers: false })
  const headers = { authorization: await organizerAuth(env.db) }
  const cases: [string, Record<string, unknown>][] = [
    ['occurredOn', { occurredOn: '14/07/2021' }],
    ['occurredOn', { occurredOn: '2999-01-01' }],
    ['place.name', { place: { ...jilinReport.place, name: '' } }],
    ['place.country', { place: { ...jilinReport.place, country: 'China' } }],
    ['peopleCount', { peopleCount: -1 }],
    ['peopleCount', { peopleCount: 2.5 }],
    ['kind', { kind: 'arrest' }],
    ['confidence', { confidence: 'sure' }],
    ['sourceUrl', { sourceUrl: 'javascript:alert(1)' }],
    ['summary', { summary: undefined }],
    ['campaign', { campaign: 'no-such-campaign' }],
  ]
  for (const [field, patch] of cases) {
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      headers,
      payload: { ...jilinReport, ...patch },
    })
    t.equal(res.statusCode, 400, JSON.stringify(patch))
    t.ok(res.json().fields?.[field], `${field}: ${res.json().fields?.[field]}`)
  }
  t.equal((await env.db.selectFrom('reports').select('id').execute()).length, 0)
  t.equal((await env.app.inject({ method: 'POST', url: '/api/v1/reports/abc/publish', headers })).statusCode, 400)
})

t.test('report and alert actions through the API are audited', async (t) => {
  const env = await setup(t, { workers: false })
  const headers = { authorization: await organizerAuth(env.db) }
  const { id } = (
    await env.app.inject({ method: 'POST', url: '/api/v1/reports', headers, payload: jilinReport })
  ).json()
  const { alert } = (await env.app.inject({ method: 'POST', url: `/api/v1/reports/${id}/publish`, headers })).json()
  await env.app.inject({ method: 'POST', url: `/api/v1/alerts/${alert.id}/pause`, headers })
  await env.app.inject({
    method: 'POST',
    url: `/api/v1/reports/${id}/retract`,
    headers,
    payload: { note: 'Wrong place.' },
  })
  const rows = await env.db.selectFrom('audit_log').select(['action', 'object_type', 'via']).orderBy('id').execute()
  t.same(
    rows.map((r) => [r.action, r.object_type, r.via]),
    [
      ['report.create', 'report', 'api'],
      ['report.publish', 'report', 'api'],
      ['alert.pause', 'alert', 'api'],
      ['report.retract', 'report', 'api'],
    ],
  )
})

t.test('the API lists published reports only: a retracted one leaves the list and the totals', async (t) => {
  const env = await setup(t, { workers: false })
  const headers = { authorization: await organizerAuth(env.db) }
  const ids: string[] = []
  for (const peopleCount of [47, 7000]) {
    const { id } = (
      await env.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        headers,
        payload: { ...jilinReport, peopleCount },
      })
    ).json()
    t.equal((await env.app.inject({ method: 'POST', url: `/api/v1/reports/${id}/publish`, headers })).statusCode, 202)
    ids.push(id)
  }
  const retracted = await env.app.inject({
    method: 'POST',
    url: `/api/v1/reports/${ids[1]}/retract`,
    headers,
    payload: { note: 'Counted twice.' },
  })
  t.equal(retracted.statusCode, 202)
  const body = (await env.app.inject({ url: '/api/v1/reports' })).json()
  t.same(
    body.reports.map((r: { id: string; status: string }) => [r.id, r.status]),
    [[ids[0], 'published']],
  )
  t.same(body.totals.byKind, [{ kind: 'detention', people: 47, reports: 1 }])
})
