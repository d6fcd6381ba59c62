// The baseline of the campaign-page benchmark: a bare Fastify with one route returning a fixed
// string, in its own process like the app. `PORT=3999 node --import tsx bench/baseline-server.ts`
//
// GET / is the baseline of target 1. GET /replay (only with REPLAY_FILE set) answers a recorded
// response again, its headers and its bytes: not a target, it is the ceiling of any server
// sending that response, the same work for the load generator with none for the app.
import { readFileSync } from 'node:fs'
import Fastify from 'fastify'

const app = Fastify()
app.get('/', () => 'ok')

if (process.env.REPLAY_FILE) {
  const recorded = JSON.parse(readFileSync(process.env.REPLAY_FILE, 'utf8')) as {
    headers: Record<string, string>
    body: string
  }
  const body = Buffer.from(recorded.body, 'base64')
  app.get('/replay', (_request, reply) => reply.headers(recorded.headers).send(body))
}

const close = () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  )
}
process.once('SIGTERM', close)
process.once('SIGINT', close)

await app.listen({ port: Number(process.env.PORT ?? 3999), host: '127.0.0.1' })
