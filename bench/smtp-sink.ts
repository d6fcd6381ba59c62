// Postfix's smtp-sink (Debian's postfix package): accepts every message with a 250 and counts it.
// SMTP_SINK overrides its path (e.g. a copy unpacked from the package, run through a wrapper).
import { spawn } from 'node:child_process'
import { connect } from 'node:net'
import { freePort, sleep, stopChild, track, type Need } from './lib.ts'

const SMTP_SINK = process.env.SMTP_SINK ?? '/usr/sbin/smtp-sink'

/** For preflight(): the sink this script will spawn. */
export const SMTP_SINK_NEED: Need = {
  program: SMTP_SINK,
  install: 'DEBIAN_FRONTEND=noninteractive apt-get install -y postfix (or set SMTP_SINK to a copy of smtp-sink)',
}

export interface Sink {
  port: number
  pid: number
  /** Messages received so far (smtp-sink -c "mesg=" counter). */
  count(): number
  /** Resolves with Date.now() when the counter reaches n. */
  reach(n: number): Promise<number>
  stop(): Promise<void>
}

/** `smtp-sink -c -u nobody 127.0.0.1:<port> 1000`: throws every message away, counts them. */
export async function startSink(): Promise<Sink> {
  const port = await freePort()
  const child = spawn(SMTP_SINK, ['-c', '-u', 'nobody', `127.0.0.1:${port}`, '1000'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const exit = track(child)
  let count = 0
  let tail = ''
  const waiters: { n: number; resolve: (t: number) => void }[] = []
  child.stdout.on('data', (d: Buffer) => {
    const s = tail + d.toString('latin1')
    const all = [...s.matchAll(/mesg=(\d+)/g)]
    tail = s.slice(s.lastIndexOf('\r') + 1)
    if (all.length) count = Number(all.at(-1)![1])
    const now = Date.now()
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (count >= waiters[i]!.n) {
        waiters[i]!.resolve(now)
        waiters.splice(i, 1)
      }
    }
  })
  // Listening once a connection is accepted.
  const until = Date.now() + 10_000
  for (;;) {
    if (child.exitCode !== null) throw new Error('smtp-sink exited at start')
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.destroy()
        resolve(true)
      })
      s.on('error', () => resolve(false))
    })
    if (ok) break
    if (Date.now() > until) throw new Error('smtp-sink not listening after 10 s')
    await sleep(50)
  }
  return {
    port,
    pid: child.pid!,
    count: () => count,
    reach: (n) => (count >= n ? Promise.resolve(Date.now()) : new Promise((resolve) => waiters.push({ n, resolve }))),
    stop: () => stopChild(child, exit, 5000),
  }
}
