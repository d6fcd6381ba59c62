// The baseline of the signing benchmark: the same rows the API writes for a new signature (one
// signatures row + one outbox row, in one transaction per signature), as plain INSERTs through a
// pg Pool, with the same concurrency as the load generator and the app's pool size.
//
//   node --import tsx bench/pg-insert-baseline.ts --rows 30000 [--concurrency 100] [--pool 10] [--prefix b.x]
//
// Prints one JSON line with the result.
import { parseArgs } from 'node:util'
import pg from 'pg'
import { DEMO_SLUG } from '../src/modules/demo/service.ts'
import { hashIp, randomNonce } from '../src/security.ts'
import { APP_POOL_SIZE, BENCH_DATABASE_URL, BENCH_SECRET_KEY, cpuSnapshot, cpuUse, round } from './lib.ts'

const { values } = parseArgs({
  options: {
    rows: { type: 'string' },
    concurrency: { type: 'string', default: '100' },
    pool: { type: 'string', default: String(APP_POOL_SIZE) },
    prefix: { type: 'string', default: `b.${Date.now().toString(36)}` },
  },
})
const rows = Number(values.rows)
const concurrency = Number(values.concurrency)
if (!(rows > 0)) throw new Error('--rows N is required')

const pool = new pg.Pool({ connectionString: BENCH_DATABASE_URL, max: Number(values.pool) })
const { rows: found } = await pool.query<{ id: string }>('select id from campaigns where slug = $1', [DEMO_SLUG])
const campaignId = found[0]!.id
const secret = BENCH_SECRET_KEY

const insertSignature = `insert into signatures (campaign_id, name, email, email_key, country, comment, public_name,
  wants_alerts, locale, confirm_nonce, confirm_expires_at, ip_hash, last_emailed_at)
  values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
  on conflict on constraint signatures_campaign_email_key do nothing returning id`
const insertOutbox = 'insert into outbox (kind, payload) values ($1, $2) returning id'

let next = 0
let inserted = 0
const latencies: number[] = []

async function worker() {
  for (;;) {
    const n = next++
    if (n >= rows) return
    const email = `${values.prefix}.${n}@bench.example.org`
    const t0 = performance.now()
    const client = await pool.connect()
    try {
      await client.query('begin')
      const res = await client.query<{ id: string }>(insertSignature, [
        campaignId,
        `Bench Signer ${n}`,
        email,
        email,
        'KR',
        null,
        false,
        false,
        'en',
        randomNonce(),
        new Date(Date.now() + 7 * 86_400_000),
        hashIp(secret, '127.0.0.1'),
        new Date(),
      ])
      const id = res.rows[0]?.id
      if (id) await client.query(insertOutbox, ['signature.confirm', JSON.stringify({ signatureId: id })])
      await client.query('commit')
      if (id) inserted++
    } catch (err) {
      await client.query('rollback').catch(() => {})
      throw err
    } finally {
      client.release()
    }
    latencies.push(performance.now() - t0)
  }
}

const started = performance.now()
const cpuBefore = cpuSnapshot(process.pid)
await Promise.all(Array.from({ length: concurrency }, worker))
const cpu = cpuUse(cpuBefore, cpuSnapshot(process.pid), inserted)
const seconds = (performance.now() - started) / 1000
await pool.end()

latencies.sort((a, b) => a - b)
const pct = (p: number) =>
  round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0, 1)
console.log(
  JSON.stringify({
    prefix: values.prefix,
    rows,
    inserted,
    concurrency,
    pool: Number(values.pool),
    seconds: round(seconds, 2),
    rowsPerSec: round(inserted / seconds, 0),
    p50: pct(50),
    p99: pct(99),
    max: round(latencies.at(-1) ?? 0, 1),
    // cores: this script (as "server" and "client": the same process), all postgres, the machine
    cpu: cpu && {
      script: cpu.server,
      postgres: cpu.postgres,
      machine: cpu.machine,
      scriptUsPerRow: cpu.serverUsPerRequest,
    },
  }),
)
