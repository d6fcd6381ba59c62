// What the worker-kill tests share: an SMTP server that counts what each address received, and a
// worker process of our own to kill.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

export async function countingSmtp(t: { teardown(fn: () => unknown): void }) {
  const received = new Map<string, number>()
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      stream.on('data', () => {})
      stream.on('end', () => {
        for (const r of session.envelope.rcptTo) received.set(r.address, (received.get(r.address) ?? 0) + 1)
        // A little latency, as a real relay has, so that sends are in flight at the kill.
        setTimeout(() => callback(null, 'queued'), 5)
      })
    },
  })
  // The kill resets the worker's SMTP connections; that is the point, not a test failure.
  server.on('error', () => {})
  server.listen(0, '127.0.0.1')
  await once(server.server, 'listening')
  t.teardown(() => new Promise<void>((r) => server.close(() => r())))
  return { port: (server.server.address() as AddressInfo).port, received }
}

export function startWorker(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'workers/index.ts'], {
    env: { ...process.env, ...env },
    stdio: 'ignore',
  })
}
