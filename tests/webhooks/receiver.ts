// A real HTTP endpoint for the webhook tests: it verifies every request's signature with the
// `standardwebhooks` package, as a receiver would, and answers as the test tells it (a status,
// a redirect, or nothing at all).
import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'
import { eventually, type TestEnv } from '../helper.ts'

type Teardown = { teardown(fn: () => unknown): void }

export interface Received {
  id: string
  timestamp: string
  body: string
  /** The parsed body when the signature verified; undefined when it did not. */
  verified: { type: string; timestamp: string; data: Record<string, unknown> } | undefined
}

/** What to answer: a status (with a Location for a 3xx), or 'hang' to never answer. */
export type Answer = number | { status: number; location: string } | 'hang'

export interface Receiver {
  url: string
  port: number
  received: Received[]
  /** The secret the webhook was registered with, for verifying. */
  secret: string
  /** The next requests are answered so, in order; 200 after them. */
  answer(...answers: Answer[]): void
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>
}

export async function startReceiver(t: Teardown, host = '127.0.0.1'): Promise<Receiver> {
  const answers: Answer[] = []
  const received: Received[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const headers = {
        'webhook-id': String(req.headers['webhook-id']),
        'webhook-timestamp': String(req.headers['webhook-timestamp']),
        'webhook-signature': String(req.headers['webhook-signature']),
      }
      let verified: Received['verified']
      try {
        verified = new Webhook(receiver.secret).verify(body, headers) as Received['verified']
      } catch {
        verified = undefined
      }
      received.push({ id: headers['webhook-id'], timestamp: headers['webhook-timestamp'], body, verified })
      const answer = answers.shift() ?? 200
      if (answer === 'hang') return
      if (typeof answer === 'number') return res.writeHead(answer).end()
      res.writeHead(answer.status, { location: answer.location }).end()
    })
  })
  server.listen(0, host)
  await once(server, 'listening')
  const port = (server.address() as AddressInfo).port
  const receiver: Receiver = {
    url: `http://${host}:${port}/hook`,
    port,
    received,
    secret: '',
    answer: (...more) => answers.push(...more),
    waitFor: (count, timeoutMs = 15_000) =>
      eventually(async () => received.length >= count && received, timeoutMs, `${count} webhook requests`),
  }
  t.teardown(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  return receiver
}

/** Registers `url` for `events` through the API; answers the webhook's id and secret. */
export async function register(env: TestEnv, auth: string, url: string, events: string[]) {
  const res = await env.app.inject({
    method: 'POST',
    url: '/api/v1/webhooks',
    headers: { authorization: auth },
    payload: { url, events },
  })
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`)
  return res.json<{ id: string; secret: string }>()
}
