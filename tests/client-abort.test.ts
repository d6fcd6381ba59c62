// A browser tab closed mid-request is the client's doing, not an outage: it is logged at info with a
// short reason, never as "dependency unavailable" (an attacker closing connections must not page
// the operator), and no error is written out as an object of single characters.
import { once } from 'node:events'
import { connect, type AddressInfo } from 'node:net'
import { Readable, Writable } from 'node:stream'
import t from 'tap'
import { buildApp, requestSerializers } from '../src/app.ts'
import { eventually, setup, sleep } from './helper.ts'

type LogLine = { level: number; msg: string; reqId?: string; [key: string]: unknown }

function logCapture() {
  const lines: LogLine[] = []
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)) as LogLine)
      done()
    },
  })
  return { lines, stream }
}

/** Whether a logged value holds an object written out one character a key ({"0":"a","1":"b",...}). */
function hasCharIndexedObject(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false
  if ('0' in value && '1' in value) return true
  return Object.values(value).some(hasCharIndexedObject)
}

t.test('requests the client abandons are logged as that, not as a dependency outage', async (t) => {
  const env = await setup(t, { workers: false })
  const { lines, stream } = logCapture()
  // At debug, Fastify's own per-request lines are on too: none of them may say more.
  const app = await buildApp({
    config: { ...env.config, logLevel: 'debug' },
    db: env.db,
    logger: { level: 'debug', stream, serializers: requestSerializers },
  })
  // A long answer, so the client can leave halfway through it.
  app.get('/test/long', async (_request, reply) => {
    async function* chunks() {
      for (let i = 0; i < 10_000; i++) {
        yield 'x'.repeat(16 * 1024)
        await sleep(5)
      }
    }
    return reply.type('text/plain').send(Readable.from(chunks()))
  })
  t.teardown(() => app.close())
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo

  async function abandon(head: string, how: 'close' | 'reset', after: 'sent' | 'response') {
    const before = lines.length
    const socket = connect(port, '127.0.0.1')
    socket.on('error', () => {})
    await once(socket, 'connect')
    socket.write(head)
    if (after === 'response') await once(socket, 'data')
    // The request has reached the app (its first log line) before the client leaves.
    await eventually(async () => lines.slice(before).some((l) => l.msg === 'incoming request'))
    const id = lines.slice(before).find((l) => l.msg === 'incoming request')!.reqId
    if (how === 'reset') socket.resetAndDestroy()
    else socket.destroy()
    // ...and the app has said what became of it.
    await eventually(
      async () => lines.some((l) => l.reqId === id && l.msg !== 'incoming request'),
      10_000,
      `a line about ${id}`,
    )
  }

  const json = 'POST /api/v1/subscribers HTTP/1.1\r\nHost: ua.test\r\nContent-Type: application/json\r\n'
  const form = 'POST /alerts HTTP/1.1\r\nHost: ua.test\r\nContent-Type: application/x-www-form-urlencoded\r\n'
  await abandon(`${json}Content-Length: 1000\r\n\r\n{"email":"`, 'close', 'sent')
  await abandon(`${json}Content-Length: 1000\r\n\r\n{"email":"`, 'reset', 'sent')
  await abandon(`${form}Content-Length: 1000\r\n\r\nemail=kim`, 'close', 'sent')
  await abandon(`${form}Content-Length: 1000\r\n\r\nemail=kim`, 'reset', 'sent')
  await abandon('GET /test/long HTTP/1.1\r\nHost: ua.test\r\n\r\n', 'close', 'response')
  await abandon('GET /test/long HTTP/1.1\r\nHost: ua.test\r\n\r\n', 'reset', 'response')

  t.same(
    lines.filter((l) => l.msg === 'dependency unavailable'),
    [],
    'no "dependency unavailable"',
  )
  t.same(
    lines.filter((l) => l.level >= 40),
    [],
    'nothing at warn or above',
  )
  t.same(lines.filter(hasCharIndexedObject), [], 'no error written out one character a key')
  const aborts = lines.filter((l) => l.msg === 'client went away')
  t.equal(aborts.length, 6, 'each abandoned request is said once, as the client leaving')
  for (const line of aborts) t.equal(line.level, 30, `info: ${JSON.stringify(line)}`)
})

t.test('an error logged as a string is written as its message', async (t) => {
  const written = requestSerializers.err('aborted')
  t.notOk(hasCharIndexedObject(written), JSON.stringify(written))
  t.equal(written.message, 'aborted')
})
