// The baseline of the campaign-page benchmark: a bare Fastify with one route returning a fixed
// string, in its own process like the app. `PORT=3999 node --import tsx bench/baseline-server.ts`
//
// GET / is the baseline of target 1. GET /page-sized (only with PAGE_BYTES set) answers a fixed
// HTML string as long as the campaign page: not a target, it shows what sending that many bytes
// costs Fastify on this machine, i.e. the ceiling of any page of that size.
import Fastify from 'fastify'

const app = Fastify()
app.get('/', () => 'ok')

const pageBytes = Number(process.env.PAGE_BYTES ?? 0)
if (pageBytes > 0) {
  const page = `<!doctype html><html><body>${'x'.repeat(Math.max(0, pageBytes - 41))}</body></html>`
  app.get('/page-sized', (_request, reply) => reply.type('text/html; charset=utf-8').send(page))
}

const close = () => app.close().then(() => process.exit(0))
process.once('SIGTERM', close)
process.once('SIGINT', close)

await app.listen({ port: Number(process.env.PORT ?? 3999), host: '127.0.0.1' })
