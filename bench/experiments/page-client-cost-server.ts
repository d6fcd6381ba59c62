// The server half of page-client-cost.ts: fixed responses that differ in one thing each.
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import Fastify from 'fastify'

const page = readFileSync(process.env.PAGE_FILE!)
const gz = gzipSync(page)
const ascii = Buffer.from('x'.repeat(page.length))
const headers: Record<string, string> = {
  'content-security-policy':
    "default-src 'none';style-src 'self';img-src 'self' data:;form-action 'self';base-uri 'none';frame-ancestors 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-frame-options': 'SAMEORIGIN',
  'content-language': 'en',
  vary: 'Accept-Language, Cookie',
}
const html = 'text/html; charset=utf-8'
const app = Fastify()
app.get('/ok', () => 'ok')
app.get('/ascii', (_q, r) => r.type(html).send(ascii))
app.get('/page', (_q, r) => r.type(html).send(page))
app.get('/ascii-h', (_q, r) => r.headers(headers).type(html).send(ascii))
app.get('/page-h', (_q, r) => r.headers(headers).type(html).send(page))
app.get('/gz-h', (_q, r) => r.headers(headers).header('content-encoding', 'gzip').type(html).send(gz))
app.get('/gz', (_q, r) => r.header('content-encoding', 'gzip').type(html).send(gz))
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
