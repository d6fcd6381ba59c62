import t from 'tap'
import { setup } from './helper.ts'

t.test('/healthz and /readyz answer when Postgres and Redis are up', async (t) => {
  const env = await setup(t, { workers: false })
  t.same((await env.app.inject({ url: '/healthz' })).json(), { status: 'ok' })
  const ready = await env.app.inject({ url: '/readyz' })
  t.equal(ready.statusCode, 200)
  t.same(ready.json(), { status: 'ok', postgres: 'ok', redis: 'ok' })
})

t.test('/readyz is 503 when Redis is unreachable', async (t) => {
  const env = await setup(t, { workers: false, env: { REDIS_URL: 'redis://127.0.0.1:1' } })
  const res = await env.app.inject({ url: '/readyz' })
  t.equal(res.statusCode, 503)
  t.same(res.json(), { status: 'unavailable', postgres: 'ok', redis: 'down' })
})

t.test('pages carry a strict CSP and no third-party reference', async (t) => {
  const env = await setup(t, { workers: false })
  const res = await env.app.inject({ url: '/' })
  const csp = String(res.headers['content-security-policy'])
  t.match(csp, /default-src 'none'/)
  t.match(csp, /style-src 'self'/)
  t.notMatch(csp, /unsafe-inline/)
  t.match(csp, /frame-ancestors 'none'/)
  t.equal(res.headers['x-frame-options'], 'DENY', 'no framing for browsers without CSP 2 either')
  // Our own absolute addresses (canonical, hreflang) are same-origin; nothing else is.
  const others = res.body.replaceAll('href="http://ua.test/', 'href="/')
  t.notMatch(others, /(src|href)="(https?:)?\/\//, 'only same-origin URLs')
  t.equal(res.headers['referrer-policy'], 'no-referrer')
})

t.test('unknown API routes answer the JSON error shape, pages an HTML page', async (t) => {
  const env = await setup(t, { workers: false })
  const api = await env.app.inject({ url: '/api/v1/nothing' })
  t.equal(api.statusCode, 404)
  t.same(api.json(), { error: 'not_found', message: 'Not found.' })
  const page = await env.app.inject({ url: '/nothing', headers: { 'accept-language': 'ko' } })
  t.equal(page.statusCode, 404)
  t.match(page.body, /페이지를 찾을 수 없습니다/)
  const media = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns/x/signatures',
    headers: { 'content-type': 'text/csv' },
    payload: 'a,b',
  })
  t.equal(media.statusCode, 415)
})
