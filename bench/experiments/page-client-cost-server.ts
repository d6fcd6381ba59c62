// The server half of page-client-cost.ts: fixed responses that differ in one thing each; the
// page's bytes and headers are recorded from the app by page-client-cost.ts.
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import Fastify from 'fastify'

const page = readFileSync(process.env.PAGE_FILE!)
const gz = gzipSync(page)
const ascii = Buffer.from('x'.repeat(page.length))
const headers = JSON.parse(readFileSync(process.env.HEADERS_FILE!, 'utf8')) as Record<string, string>
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
