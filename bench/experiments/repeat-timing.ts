// Does the answer's timing tell whether an address signed before? Signs new addresses and
// addresses that signed already, interleaved one by one over one keep-alive connection, and
// compares the two latency distributions. Not a target. It starts the `src/server.ts` next to
// its own bench/ folder: to measure an older commit, copy it into a checkout of that commit.
//
//   node --import tsx bench/experiments/repeat-timing.ts [pairs, 2000] [cooldown seconds, 0] [db delay ms, 0] [sign|subscribe]
//   cp bench/experiments/repeat-timing.ts /tmp/older/bench/experiments/ &&
//     (cd /tmp/older && node --import tsx bench/experiments/repeat-timing.ts)
//
// With a cooldown of 0 every repeat is past it, as when someone probes an address the signer
// has not used for a while (EMAIL_COOLDOWN_SECONDS, 600 by default); with 600, every repeat here
// falls within it. A db delay puts Postgres that many milliseconds away each way (a proxy in this
// process), as a database on another host is: what a round trip more or less costs then shows.
// `subscribe` asks for alerts instead of signing (POST /api/v1/subscribers).
import { randomBytes } from 'node:crypto'
import net from 'node:net'
import { DEMO_SLUG } from '../../src/modules/demo/service.ts'
import { BENCH_DATABASE_URL, machine, saveResult, stamp, startAppServer, table } from '../lib.ts'
import { prepareBenchDb } from '../seed.ts'

const pairs = Number(process.argv[2] ?? 2000)
const cooldown = process.argv[3] ?? '0'
const dbDelayMs = Number(process.argv[4] ?? 0)
const mode = process.argv[5] === 'subscribe' ? 'subscribe' : 'sign'
const earlier = 200
await prepareBenchDb()

/** Chunks sent to Postgres through the proxy: about one per round trip the app makes. */
let toPostgres = 0

/** A TCP proxy to Postgres that holds every chunk `ms` before passing it on, in both directions. */
async function delayingProxy(target: URL, ms: number): Promise<{ url: string; server: net.Server }> {
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname)
    client.setNoDelay(true)
    upstream.setNoDelay(true)
    const pass = (from: net.Socket, to: net.Socket) => {
      from.on('data', (chunk) => {
        if (to === upstream) toPostgres++
        setTimeout(() => to.write(chunk), ms)
      })
      from.on('close', () => setTimeout(() => to.destroy(), ms))
      from.on('error', () => to.destroy())
    }
    pass(client, upstream)
    pass(upstream, client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = new URL(target)
  url.host = `127.0.0.1:${(server.address() as net.AddressInfo).port}`
  return { url: url.toString(), server }
}

const proxy = dbDelayMs > 0 ? await delayingProxy(new URL(BENCH_DATABASE_URL), dbDelayMs) : undefined
const app = await startAppServer({ EMAIL_COOLDOWN_SECONDS: cooldown, ...(proxy ? { DATABASE_URL: proxy.url } : {}) })
const run = randomBytes(3).toString('hex')
const url = mode === 'sign' ? `${app.url}/api/v1/campaigns/${DEMO_SLUG}/signatures` : `${app.url}/api/v1/subscribers`

const chunks = { fresh: 0, repeat: 0 }

async function sign(email: string, kind?: keyof typeof chunks): Promise<number> {
  const sent = toPostgres
  const start = process.hrtime.bigint()
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(mode === 'sign' ? { name: 'Timing Signer', email, country: 'KR' } : { email }),
  })
  await res.arrayBuffer()
  if (res.status !== 202) throw new Error(`answered ${res.status}`)
  if (kind) chunks[kind] += toPostgres - sent
  return Number(process.hrtime.bigint() - start) / 1e6
}

const repeatAddress = (i: number) => `repeat.${run}.${i % earlier}@bench.example.org`
try {
  for (let i = 0; i < earlier; i++) await sign(repeatAddress(i))
  for (let i = 0; i < 200; i++) await sign(`warm.${run}.${i}@bench.example.org`) // JIT, pool
  const fresh: number[] = []
  const repeat: number[] = []
  for (let i = 0; i < pairs; i++) {
    // Alternate which goes first, so neither always follows the other.
    if (i % 2 === 0) {
      fresh.push(await sign(`new.${run}.${i}@bench.example.org`, 'fresh'))
      repeat.push(await sign(repeatAddress(i), 'repeat'))
    } else {
      repeat.push(await sign(repeatAddress(i), 'repeat'))
      fresh.push(await sign(`new.${run}.${i}@bench.example.org`, 'fresh'))
    }
  }
  const stats = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b)
    const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 1000) / 1000
    return { p10: at(0.1), p50: at(0.5), p90: at(0.9), mean: Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 1000) / 1000 }
  }
  const rows = { newAddress: stats(fresh), signedBefore: stats(repeat) }
  console.log(
    table(
      ['request', 'p10 ms', 'p50 ms', 'p90 ms', 'mean ms'],
      Object.entries(rows).map(([name, s]) => [name, s.p10, s.p50, s.p90, s.mean]),
    ),
  )
  if (proxy) {
    console.log(`messages to Postgres per request: new ${(chunks.fresh / pairs).toFixed(2)}, signed before ${(chunks.repeat / pairs).toFixed(2)}`)
  }
  const info = await machine()
  console.log(
    `repeat / new, median: ${(rows.signedBefore.p50 / rows.newAddress.p50).toFixed(3)} (${info.code}, ${pairs} pairs, ${mode}, cooldown ${cooldown} s, db ${dbDelayMs} ms away)`,
  )
  console.log(`saved ${saveResult(`repeat-timing-${mode === 'sign' ? '' : 'subscribe-'}${stamp()}`, { machine: info, mode, pairs, cooldownSeconds: Number(cooldown), dbDelayMs, rows, ...(proxy ? { messagesPerRequest: { newAddress: chunks.fresh / pairs, signedBefore: chunks.repeat / pairs } } : {}) })}`)
} finally {
  await app.stop()
  proxy?.server.close()
}
