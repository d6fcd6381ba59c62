// GET /api/v1/openapi.json (contract, "Operating it"): generated from the routes' zod schemas, valid
// OpenAPI 3.1 by a standard validator, naming every /api/v1 route, and the API's answers match it.
import { compileErrors, dereference, validate } from '@readme/openapi-parser'
import { Ajv2020 } from 'ajv/dist/2020.js'
import t, { type Test } from 'tap'
import { liveCampaign, organizerAuth, setup } from './helper.ts'

const env = await setup(t, { workers: false })
const res = await env.app.inject({ url: '/api/v1/openapi.json' })
const doc = res.json<{
  openapi: string
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>
}>()

t.test('the document is valid OpenAPI 3.1', async (t) => {
  t.equal(res.statusCode, 200)
  t.equal(doc.openapi, '3.1.0')
  const result = await validate(structuredClone(doc) as never)
  t.ok(result.valid, result.valid ? 'valid' : compileErrors(result))
})

t.test('every registered /api/v1 route is in it, and nothing else', async (t) => {
  const documented = new Set(
    Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)),
  )
  const routes = env.app.apiRoutes
    .filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS' && r.url !== '/api/v1/openapi.json')
    .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`)
  t.ok(routes.length >= 25, `${routes.length} routes`)
  for (const route of routes) t.ok(documented.has(route), route)
  t.equal(documented.size, new Set(routes).size, 'no page or console route in the API description')
})

// The answers below are checked against the dereferenced document's schema for their status.
const resolved = (await dereference(structuredClone(doc) as never)) as unknown as typeof doc
const ajv = new Ajv2020({ strict: false })
function expectDocumented(t: Test, method: string, path: string, status: number, body: unknown) {
  const responses = resolved.paths[path]?.[method]?.responses ?? {}
  const response = (responses[String(status)] ?? responses[`${String(status)[0]}XX`]) as
    { content?: Record<string, { schema: object }> } | undefined
  const schema = response?.content?.['application/json']?.schema
  t.ok(schema, `${method} ${path} ${status} is described`)
  if (!schema) return
  const check = ajv.compile(schema)
  t.ok(check(body), `${method} ${path} ${status} matches: ${ajv.errorsText(check.errors)}`)
}

t.test('the answers match the document', async (t) => {
  const slug = await liveCampaign(env)
  const stats = await env.app.inject({ url: `/api/v1/campaigns/${slug}/stats` })
  expectDocumented(t, 'get', '/api/v1/campaigns/{slug}/stats', stats.statusCode, stats.json())
  const signed = await env.app.inject({
    method: 'POST',
    url: `/api/v1/campaigns/${slug}/signatures`,
    payload: { name: 'A', email: 'a@example.org', country: 'KR' },
  })
  expectDocumented(t, 'post', '/api/v1/campaigns/{slug}/signatures', signed.statusCode, signed.json())
  const bad = await env.app.inject({
    method: 'POST',
    url: `/api/v1/campaigns/${slug}/signatures`,
    payload: { name: 'A', email: 'not an address', country: 'KR' },
  })
  t.equal(bad.statusCode, 400)
  expectDocumented(t, 'post', '/api/v1/campaigns/{slug}/signatures', 400, bad.json())
  const subscribed = await env.app.inject({
    method: 'POST',
    url: '/api/v1/subscribers',
    payload: { email: 'b@example.org' },
  })
  expectDocumented(t, 'post', '/api/v1/subscribers', subscribed.statusCode, subscribed.json())
  const missing = await env.app.inject({ url: '/api/v1/campaigns/no-such-one/stats' })
  expectDocumented(t, 'get', '/api/v1/campaigns/{slug}/stats', 404, missing.json())
  const unauthorised = await env.app.inject({ method: 'POST', url: '/api/v1/targets', payload: {} })
  expectDocumented(t, 'post', '/api/v1/targets', unauthorised.statusCode, unauthorised.json())
  const auth = await organizerAuth(env.db)
  const refused = await env.app.inject({
    method: 'POST',
    url: '/api/v1/targets',
    headers: { authorization: auth },
    payload: {},
  })
  t.equal(refused.statusCode, 400)
  expectDocumented(t, 'post', '/api/v1/targets', 400, refused.json())
  const headers = { authorization: auth }
  const hook = { url: 'https://93.184.216.34/hook', events: ['report.published'] }
  const registered = await env.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers, payload: hook })
  t.equal(registered.statusCode, 201)
  expectDocumented(t, 'post', '/api/v1/webhooks', 201, registered.json())
  const hooks = await env.app.inject({ url: '/api/v1/webhooks', headers })
  expectDocumented(t, 'get', '/api/v1/webhooks', 200, hooks.json())
  const { id } = registered.json<{ id: string }>()
  const tested = await env.app.inject({ method: 'POST', url: `/api/v1/webhooks/${id}/test`, headers })
  expectDocumented(t, 'post', '/api/v1/webhooks/{id}/test', 202, tested.json())
  const log = await env.app.inject({ url: `/api/v1/webhooks/${id}/deliveries`, headers })
  expectDocumented(t, 'get', '/api/v1/webhooks/{id}/deliveries', 200, log.json())
})

t.test('every kind of answer of the campaigns, targets, reports and alerts routes matches the document', async (t) => {
  const headers = { authorization: await organizerAuth(env.db) }
  const call = async (method: string, url: string, documented: string, payload?: object) => {
    const res = await env.app.inject({ method: method as 'GET', url, headers, ...(payload ? { payload } : {}) })
    t.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.statusCode >= 300 ? res.body : ''}`)
    expectDocumented(t, method.toLowerCase(), documented, res.statusCode, res.statusCode === 204 ? null : res.json())
    return res.json()
  }
  const target = await call('POST', '/api/v1/targets', '/api/v1/targets', {
    name: 'Minister',
    organisation: 'Ministry',
    country: 'CN',
    locale: 'zh',
    email: 'minister@example.org',
  })
  await call('GET', '/api/v1/targets', '/api/v1/targets')
  const slug = 'openapi-answers'
  await call('POST', '/api/v1/campaigns', '/api/v1/campaigns', {
    slug,
    title: 'Answers',
    summary: 'Every answer described.',
    body: 'Body',
    target: 'The Government',
    asks: ['One'],
    goal: 10,
    targets: [target.id],
    letter: { en: { subject: 'Please', body: 'Dear Minister' } },
  })
  await call('PATCH', `/api/v1/campaigns/${slug}`, '/api/v1/campaigns/{slug}', { title: 'Answers, patched' })
  await call('POST', `/api/v1/campaigns/${slug}/launch`, '/api/v1/campaigns/{slug}/launch')
  await call('GET', '/api/v1/campaigns', '/api/v1/campaigns')
  const one = await call('GET', `/api/v1/campaigns/${slug}`, '/api/v1/campaigns/{slug}')
  t.match(one, { letter: { en: { subject: 'Please' } }, targets: [{ name: 'Minister' }] })
  t.notMatch(JSON.stringify(one), 'minister@example.org', "a campaign never shows a target's address")
  await call('POST', `/api/v1/campaigns/${slug}/updates`, '/api/v1/campaigns/{slug}/updates', {
    kind: 'update',
    title: 'News',
    body: 'Something happened.',
  })
  await call('GET', `/api/v1/campaigns/${slug}/updates`, '/api/v1/campaigns/{slug}/updates')
  await call('POST', `/api/v1/campaigns/${slug}/milestones`, '/api/v1/campaigns/{slug}/milestones', {
    threshold: 5,
    title: 'Five',
    body: 'Five signed.',
  })
  await call('POST', `/api/v1/campaigns/${slug}/close`, '/api/v1/campaigns/{slug}/close')

  const report = await call('POST', '/api/v1/reports', '/api/v1/reports', {
    occurredOn: '2021-07-14',
    place: { name: 'Tumen', province: 'Jilin', country: 'CN', latitude: 42.97, longitude: 129.84 },
    peopleCount: 3,
    kind: 'detention',
    summary: 'Three held.',
    confidence: 'credible',
  })
  t.match(report.place, { latitude: 43, longitude: 129.8, exactPoint: false }, 'the point, rounded')
  await call('PUT', `/api/v1/reports/${report.id}/translations/ko`, '/api/v1/reports/{id}/translations/{locale}', {
    summary: '세 명 구금.',
  })
  const published = await call('POST', `/api/v1/reports/${report.id}/publish`, '/api/v1/reports/{id}/publish')
  await call('GET', '/api/v1/reports', '/api/v1/reports')
  const alert = `/api/v1/alerts/${published.alert.id}`
  await call('GET', alert, '/api/v1/alerts/{id}')
  await call('POST', `/api/v1/reports/${report.id}/retract`, '/api/v1/reports/{id}/retract', { note: 'Wrong place.' })
  // With no subscribers the alert is done at once; pause, resume and cancel then answer 409.
  const paused = await env.app.inject({ method: 'POST', url: `${alert}/pause`, headers })
  expectDocumented(t, 'post', '/api/v1/alerts/{id}/pause', paused.statusCode, paused.json())
})

t.test('/api/docs is Swagger UI from our own origin, allowed to fetch only from it', async (t) => {
  const page = await env.app.inject({ url: '/api/docs/' })
  t.equal(page.statusCode, 200)
  t.notMatch(page.body, /https?:\/\/(?!127\.0\.0\.1|localhost)[\w.-]+\.\w+\/[\w/.-]*\.(js|css)/, 'no third-party asset')
  const csp = String(page.headers['content-security-policy'])
  t.match(csp, "connect-src 'self'")
  t.match(csp, "script-src 'self'")
  t.match(csp, "frame-ancestors 'none'")
  const elsewhere = await env.app.inject({ url: '/' })
  t.notMatch(String(elsewhere.headers['content-security-policy']), 'connect-src', 'other pages connect nowhere')
})
