// Does the answer's timing tell whether an address signed before? Signs new addresses and
// addresses that signed already, interleaved one by one over one keep-alive connection, and
// compares the two latency distributions. Not a target; run it from the root of the checkout to
// measure (its `src/server.ts` is the one started), e.g. an older commit checked out elsewhere:
//
//   node --import tsx bench/experiments/repeat-timing.ts [pairs, 2000]
//   (cd /tmp/older-checkout && node --import tsx /work/main/bench/experiments/repeat-timing.ts)
import { randomBytes } from 'node:crypto'
import { DEMO_SLUG } from '../../src/modules/demo/service.ts'
import { machine, saveResult, stamp, startAppServer, table } from '../lib.ts'
import { prepareBenchDb } from '../seed.ts'

const pairs = Number(process.argv[2] ?? 2000)
const earlier = 200
await prepareBenchDb()
const app = await startAppServer()
const run = randomBytes(3).toString('hex')
const url = `${app.url}/api/v1/campaigns/${DEMO_SLUG}/signatures`

async function sign(email: string): Promise<number> {
  const start = process.hrtime.bigint()
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Timing Signer', email, country: 'KR' }),
  })
  await res.arrayBuffer()
  if (res.status !== 202) throw new Error(`answered ${res.status}`)
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
      fresh.push(await sign(`new.${run}.${i}@bench.example.org`))
      repeat.push(await sign(repeatAddress(i)))
    } else {
      repeat.push(await sign(repeatAddress(i)))
      fresh.push(await sign(`new.${run}.${i}@bench.example.org`))
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
  const info = await machine()
  console.log(`repeat / new, median: ${(rows.signedBefore.p50 / rows.newAddress.p50).toFixed(3)} (${info.code}, ${pairs} pairs)`)
  console.log(`saved ${saveResult(`repeat-timing-${stamp()}`, { machine: info, pairs, rows })}`)
} finally {
  await app.stop()
}
