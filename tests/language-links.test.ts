// Language links repeat the request's path. A path that starts with two slashes (or a slash and a
// backslash, which browsers read alike) would make `//evil.example/x?lang=ko` a link to another site.
import { request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { sameOriginPath } from '../src/security.ts'
import { liveCampaign, setup } from './helper.ts'

const ORIGIN = 'http://ua.test'

/** GET a raw request target, exactly as sent (no client normalises it). */
function rawGet(port: number, target: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: target, method: 'GET' }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** The origin of every web link and form action of a page, resolved as a browser on our origin would. */
function linkOrigins(body: string): string[] {
  const targets = [...body.matchAll(/\s(?:href|action)="([^"]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'))
  const urls = targets.map((target) => new URL(target, `${ORIGIN}/some/page`))
  return urls.filter((url) => url.protocol === 'http:' || url.protocol === 'https:').map((url) => url.origin)
}

t.test('links built from the request path stay on our origin', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  await env.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = env.app.server.address() as AddressInfo

  const hostile = [
    '//evil.example/x',
    '/\\evil.example',
    '/%2F%2Fevil.example',
    '///evil.example',
    '/\\/evil.example/x',
    '//alerts',
  ]
  for (const target of [
    ...hostile,
    ...hostile.map((h) => `${h}?lang=ko`),
    `/campaigns/${slug}`,
    `/campaigns/${slug}/`,
  ]) {
    const res = await rawGet(port, target)
    t.ok(res.status === 200 || res.status === 404, `${target}: a page (${res.status})`)
    t.match(res.body, /\?lang=ko/, `${target}: has language links`)
    const away = linkOrigins(res.body).filter((origin) => origin !== ORIGIN)
    t.same(away, [], `${target}: every link stays on ${ORIGIN}`)
  }
})

t.test('a request target becomes a path on our origin, whatever a browser would strip from it', async (t) => {
  for (const target of [
    '//evil.example/x',
    '/\t/evil.example',
    '/\\\\evil.example',
    'http://evil.example/x',
    '/ok/page',
  ]) {
    const path = sameOriginPath(target)
    t.equal(new URL(path, ORIGIN).origin, ORIGIN, JSON.stringify(target))
    t.match(path, /^\/(?![/\\])/, `${JSON.stringify(target)} -> ${path}`)
  }
  t.equal(sameOriginPath('/campaigns/x?lang=ko'), '/campaigns/x?lang=ko')
  t.equal(sameOriginPath('/campaigns/x?lang=ko', false), '/campaigns/x')
})
