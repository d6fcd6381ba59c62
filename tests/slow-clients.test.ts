// A client that sends its headers and then a byte a second held its connection for minutes, and
// one address could hold hundreds of them. Against a real listening server and raw sockets.
import { once } from 'node:events'
import { connect, type AddressInfo, type Socket } from 'node:net'
import t from 'tap'
import { eventually, setup, sleep } from './helper.ts'

async function listening(t: Parameters<typeof setup>[0], env: Record<string, string>) {
  const { app } = await setup(t, { workers: false, env })
  await app.listen({ port: 0, host: '127.0.0.1' })
  return (app.server.address() as AddressInfo).port
}

async function open(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1')
  socket.on('error', () => {})
  await once(socket, 'connect')
  return socket
}

t.test('a body sent a byte a second is cut off before it is finished', async (t) => {
  const port = await listening(t, { REQUEST_TIMEOUT_MS: '1000' })
  const body = JSON.stringify({ email: 'slow@example.org', pad: 'x'.repeat(40) })
  const socket = await open(port)
  let closed = false
  socket.on('close', () => (closed = true))
  let answer = ''
  socket.on('data', (c: Buffer) => (answer += String(c)))
  socket.write(
    `POST /api/v1/subscribers HTTP/1.1\r\nHost: ua.test\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
  )
  let sent = 0
  while (!closed && sent < body.length) {
    socket.write(body[sent++]!)
    await sleep(1000)
  }
  t.ok(closed, 'the server closed the connection')
  t.ok(sent < body.length, `before the body was finished (${sent} of ${body.length} bytes)`)
  t.match(answer, /^HTTP\/1\.1 408 /, 'with 408 Request Timeout')
})

t.test('headers sent a line at a time are cut off too', async (t) => {
  const port = await listening(t, { REQUEST_TIMEOUT_MS: '1000' })
  const socket = await open(port)
  let closed = false
  socket.on('close', () => (closed = true))
  const lines = ['GET / HTTP/1.1', 'Host: ua.test', ...Array.from({ length: 60 }, (_, i) => `X-Slow-${i}: y`), '', '']
  let sent = 0
  while (!closed && sent < lines.length) {
    socket.write(`${lines[sent++]}\r\n`)
    await sleep(500)
  }
  t.ok(closed && sent < lines.length, `closed before the headers were finished (${sent} of ${lines.length} lines)`)
})

t.test('one client network holds at most MAX_CONNECTIONS_PER_CLIENT connections', async (t) => {
  const port = await listening(t, { MAX_CONNECTIONS_PER_CLIENT: '3' })
  const held = await Promise.all([open(port), open(port), open(port)])
  const extra = await open(port)
  extra.write('GET /healthz HTTP/1.1\r\nHost: ua.test\r\n\r\n')
  // Answered or closed, whichever comes first (a reset is a close: events.once would reject on it).
  const first = await new Promise<string>((resolve) => {
    extra.once('data', () => resolve('answered'))
    extra.once('close', () => resolve('closed'))
  })
  t.equal(first, 'closed', 'the fourth is closed by the server, unanswered')
  // The three it holds still work, and once one closes another may connect.
  held[0].write('GET /healthz HTTP/1.1\r\nHost: ua.test\r\n\r\n')
  const [reply] = (await once(held[0], 'data')) as [Buffer]
  t.match(String(reply), /^HTTP\/1\.1 200 /)
  held[1].destroy()
  await once(held[1], 'close')
  // The server frees its place when it sees the close: try until a new connection is answered.
  const again = await eventually(async () => {
    const next = await open(port)
    next.write('GET /healthz HTTP/1.1\r\nHost: ua.test\r\n\r\n')
    const answer = await new Promise<string>((resolve) => {
      next.once('data', (c: Buffer) => resolve(String(c)))
      next.once('close', () => resolve(''))
    })
    next.destroy()
    return answer
  })
  t.match(again, /^HTTP\/1\.1 200 /)
  for (const s of held) s.destroy()
})

t.test('behind a proxy every socket is the proxy’s: no bound per address', async (t) => {
  const port = await listening(t, { MAX_CONNECTIONS_PER_CLIENT: '1', TRUST_PROXY: 'true' })
  const sockets = await Promise.all([open(port), open(port)])
  sockets[1].write('GET /healthz HTTP/1.1\r\nHost: ua.test\r\n\r\n')
  const [reply] = (await once(sockets[1], 'data')) as [Buffer]
  t.match(String(reply), /^HTTP\/1\.1 200 /)
  for (const s of sockets) s.destroy()
})
