// Every route the app registers, walked with input no form would send: parameters, query
// strings and bodies of the wrong type, NUL bytes, dates past the year 9999, numbers past
// Postgres's integers. Whatever the route, the answer is a 4xx (or a success), never a 5xx.
// Routes are read from the app itself, so a new route is covered the moment it exists.
import t from 'tap'
import { liveCampaign, loginAs, organizerAuth, setup, uniqueName } from './helper.ts'

type Route = { method: string; url: string }

/** The routes of `app.printRoutes({ commonPrefix: false })`, one per method and full path. */
export function parseRouteTree(tree: string): Route[] {
  const routes: Route[] = []
  const prefixes: string[] = []
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (.+?) \(([A-Z, ]+)\)$/.exec(line.trimEnd())
    if (!match) continue
    const depth = match[1]!.length / 4
    const path = (depth === 0 ? '' : prefixes[depth - 1]!) + match[2]!
    prefixes[depth] = path
    prefixes.length = depth + 1
    for (const method of match[3]!.split(', ')) routes.push({ method, url: path.replace(/^\/\//, '/') })
  }
  return routes
}

const NUL = 'a\u0000b'
const LONE_SURROGATE = 'a\ud800b'
const hostileStrings = [NUL, 'x'.repeat(5000), '\ud800', '275760-09-13', '1e309', '-1', '99999999999999999999']
const hostileParams = [
  'x',
  '0',
  '-1',
  '99999999999999999999',
  encodeURIComponent(NUL),
  '%C0%AF',
  '..%2F..%2Fetc',
  'a'.repeat(300),
]
const query =
  '?lang=%00&page=-1&page=x&before=zzz&after=275760-09-13&cursor=%FF&countries=all&status=%00&kind=x' +
  '&province=%00&campaign=..&from=99999-01-01&to=x&q=%00&upTo=1e309'
const fields = [
  'name',
  'email',
  'country',
  'comment',
  'publicName',
  'alerts',
  'title',
  'slug',
  'summary',
  'body',
  'target',
  'asks',
  'goal',
  'deadline',
  'locale',
  'status',
  'note',
  'password',
  'current',
  'confirmation',
  'role',
  'emailDomain',
  'from',
  'to',
  'sameIpAs',
  'upTo',
  'expected',
  'intent',
  'action',
  'next',
  'frequency',
  'campaigns',
  'provinces',
  'topics',
  'occurredOn',
  'place',
  'province',
  'peopleCount',
  'kind',
  'sourceName',
  'sourceUrl',
  'confidence',
  'label',
  'translations',
]

/** JSON bodies: the wrong shape, then every field with each hostile value or type. */
const jsonBodies: unknown[] = [
  [],
  'text',
  null,
  42,
  JSON.parse('{"a":'.repeat(200) + '1' + '}'.repeat(200)),
  ...hostileStrings.map((value) => Object.fromEntries(fields.map((f) => [f, value]))),
  Object.fromEntries(fields.map((f) => [f, { $gt: '' }])),
  Object.fromEntries(fields.map((f) => [f, [NUL, 1e308]])),
  Object.fromEntries(fields.map((f) => [f, 1e308])),
  // Otherwise valid bodies, so the value goes as far as it can: into text and jsonb columns.
  ...[NUL, LONE_SURROGATE].map((v) => ({
    title: v,
    slug: 'ok-slug',
    summary: v,
    body: v,
    target: v,
    asks: [v],
    goal: 2 ** 31,
    deadline: '275760-09-13T00:00:00Z',
    occurredOn: '0000-01-01',
    place: { name: v, province: v, country: 'CN' },
    peopleCount: 2 ** 53,
    kind: 'detention',
    confidence: 'confirmed',
    translations: { ko: { summary: v, place: { name: v } }, xx: {} },
    email: 'hostile@example.org',
    name: v,
    country: 'KR',
    topics: { campaigns: [v], provinces: [v] },
  })),
]

/** Form bodies: each field repeated (an array), and each field with each hostile value. */
const formBodies: string[] = [
  fields.map((f) => `${f}=a&${f}=b&${f}[x]=c`).join('&'),
  ...[...hostileStrings.filter((v) => !/[\ud800-\udfff]/.test(v)).map(encodeURIComponent), '%ED%A0%80', '%FF'].map(
    (value) => fields.map((f) => `${f}=${value}`).join('&'),
  ),
  '%%%=%%%&=&&==',
]

const reportInput = {
  occurredOn: '2026-01-02',
  place: { name: 'Tumen', province: 'Jilin', country: 'CN' },
  peopleCount: 3,
  kind: 'detention',
  summary: 'Three held.',
  confidence: 'credible',
}

t.test('no input makes any route answer 5xx', async (t) => {
  const env = await setup(t, { workers: false })
  const auth = await organizerAuth(env.db)
  const slug = uniqueName('hostile').replaceAll('_', '-')
  const created = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers: { authorization: auth },
    payload: { title: 'Hostile input', summary: 'S', body: 'B', target: 'T', asks: ['A'], goal: 10, slug },
  })
  t.equal(created.statusCode, 201)
  const report = await env.app.inject({
    method: 'POST',
    url: '/api/v1/reports',
    headers: { authorization: auth },
    payload: { ...reportInput, campaign: slug },
  })
  t.equal(report.statusCode, 201)
  const reportId = String(report.json<{ id: string | number }>().id)

  const tree = env.app.printRoutes({ commonPrefix: false })
  const routes = parseRouteTree(tree).filter((r) => r.method !== 'HEAD')
  t.equal(
    routes.length,
    tree.match(/\b(GET|POST|PUT|PATCH|DELETE)\b/g)!.length,
    `${routes.length} routes, every one read`,
  )
  t.ok(
    routes.some((r) => r.method === 'PUT' && r.url === '/api/v1/reports/:id/translations/:locale'),
    'the tree is read whole',
  )

  // Real parameters, so that handlers go past their lookups; then hostile ones.
  const real: Record<string, string> = { slug, id: reportId, locale: 'ko', token: 'x' }
  const fill = (url: string, value?: string) => url.replace(/:(\w+)/g, (_, name: string) => value ?? real[name] ?? 'x')

  const admin = await loginAs(env, 'admin')
  const failures: string[] = []
  let requests = 0
  const send = async (route: Route, url: string, body?: { json: unknown } | { form: string }) => {
    requests++
    const api = url.startsWith('/api/')
    const res = api
      ? await env.app.inject({
          method: route.method as 'GET',
          url,
          headers: { authorization: auth, ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body && 'json' in body ? { payload: JSON.stringify(body.json) } : {}),
        })
      : await admin.client.request(
          route.method as 'GET' | 'POST',
          url,
          body && 'form' in body ? Object.fromEntries(new URLSearchParams(body.form)) : undefined,
        )
    const what = `${route.method} ${url.slice(0, 120)} ${body ? JSON.stringify(body).slice(0, 80) : ''}`
    if (res.statusCode >= 500) failures.push(`${what} -> ${res.statusCode} ${res.body.slice(0, 200)}`)
    if (api && res.statusCode >= 400) {
      const shape = res.json<{ error?: unknown; message?: unknown }>()
      if (typeof shape.error !== 'string' || typeof shape.message !== 'string')
        failures.push(`${what}: not the error shape`)
    }
    // A raw form POST (not through the console client) as well, for multi-valued fields.
    if (!api && body && 'form' in body) {
      const raw = await env.app.inject({
        method: 'POST',
        url,
        headers: { cookie: admin.client.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: `_csrf=${encodeURIComponent(admin.client.csrf)}&${body.form}`,
      })
      requests++
      if (raw.statusCode >= 500) failures.push(`${what} (raw form) -> ${raw.statusCode} ${raw.body.slice(0, 200)}`)
    }
  }

  // Logging out would end the walk's session; its own tests cover it.
  for (const route of routes.filter((r) => r.url !== '/admin/logout')) {
    const writes = route.method === 'POST' || route.method === 'PUT'
    const params = route.url.includes(':') ? hostileParams : []
    for (const value of params)
      await send(route, fill(route.url, value) + (writes ? '' : query), writes ? { json: {} } : undefined)
    if (!writes) {
      await send(route, fill(route.url) + query)
      continue
    }
    if (route.url.startsWith('/api/')) for (const json of jsonBodies) await send(route, fill(route.url), { json })
    else for (const form of formBodies) await send(route, fill(route.url), { form })
  }

  t.same(failures, [], `${requests} requests, none answered 5xx`)
})

t.test('a NUL character is refused with its field named, in the language of the page', async (t) => {
  const env = await setup(t, { workers: false })
  const auth = await organizerAuth(env.db)
  const api = await env.app.inject({
    method: 'POST',
    url: '/api/v1/reports',
    headers: { authorization: auth },
    payload: { ...reportInput, place: { ...reportInput.place, name: 'Tu\u0000men' } },
  })
  t.equal(api.statusCode, 400)
  t.same(Object.keys(api.json<{ fields: object }>().fields), ['place.name'])
  t.match(api.json(), { error: 'invalid_input', message: /place\.name contains a character that cannot be stored/ })

  const slug = await liveCampaign(env)
  const page = await env.app.inject({
    method: 'POST',
    url: `/campaigns/${slug}?lang=ko`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'name=Kim&email=kim%40example.org&country=KR&comment=a%00b',
  })
  t.equal(page.statusCode, 400)
  t.match(page.body, /comment에 저장할 수 없는 문자/)
  const rows = await env.db.selectFrom('signatures').select('id').execute()
  t.equal(rows.length + (await env.db.selectFrom('reports').select('id').execute()).length, 0, 'nothing written')
})

t.test('half of a surrogate pair is refused with its field named, and a whole pair is kept', async (t) => {
  const env = await setup(t, { workers: false })
  const lone = await env.app.inject({
    method: 'POST',
    url: '/api/v1/subscribers',
    payload: { email: 'lone@example.org', topics: { provinces: ['\ud800'] } },
  })
  t.equal(lone.statusCode, 400, 'jsonb would refuse it with a 500')
  t.same(Object.keys(lone.json<{ fields: object }>().fields), ['topics.provinces.0'])
  t.equal((await env.db.selectFrom('subscribers').select('id').execute()).length, 0, 'nothing written')
  const pair = await env.app.inject({
    method: 'POST',
    url: '/api/v1/subscribers',
    payload: { email: 'pair@example.org', topics: { provinces: ['Jilin 😀'] } },
  })
  t.equal(pair.statusCode, 202)
})
