// An experiment for the fan-out benchmark's proposal (docs/benchmarks.md, "Fan-out: what would fix
// it"): the Postgres cost of claiming and finishing alert deliveries one at a time, as
// src/modules/alerts/repository.ts does today (claimForSend + finishDelivery per message), against
// the same two statements for a batch of delivery ids (`id = any($1)`, `from unnest(...)`). No SMTP,
// no BullMQ: only the SQL, through a pg.Pool of 10 (the workers' pool size) with 20 callers.
//
//   node --import tsx bench/experiments/fanout-batch-sql.ts [--subscribers 100000] [--batch 100]
//
// Recreates the fan-out bench database (FANOUT_DB_NAME) with N subscribers, one published report,
// its alert and N queued deliveries (as a finished fan-out leaves them), runs each variant over all
// N rows (resetting them to queued in between), and prints wall time, rows/s and the CPU the
// Postgres backends and this process used per row. Drops the database at the end.
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { dropFanoutDb, FANOUT_DATABASE_URL, FANOUT_DB_NAME, resetFanoutDb } from '../fanout.ts'
import { isMain, round, table } from '../lib.ts'

const CLAIM_ONE = `
  update deliveries d
  set status = 'sending', claimed_at = now(), attempts = d.attempts + 1
  from alerts a, subscribers s
  where d.id = $1 and a.id = d.alert_id and s.id = d.subscriber_id
    and (d.status = 'queued' or (d.status = 'sending' and d.claimed_at < now() - make_interval(secs => 60)))
  returning d.id, d.alert_id, a.status as alert_status, a.report_id, a.kind, s.id as subscriber_id,
    s.email, s.email_key, s.locale, s.nonce, s.status as subscriber_status,
    exists (select 1 from suppressions x where x.email_key = s.email_key) as suppressed`
const FINISH_ONE = `update deliveries set status = $2, smtp_response = $3, sent_at = now() where id = $1`

const CLAIM_BATCH = CLAIM_ONE.replace('d.id = $1', 'd.id = any($1::bigint[])')
const FINISH_BATCH = `
  update deliveries d set status = v.status, smtp_response = v.response,
    sent_at = case when v.status = 'sent' then now() end
  from unnest($1::bigint[], $2::text[], $3::text[]) as v(id, status, response)
  where d.id = v.id`

const RESPONSE = '250 2.0.0 Ok: queued as 4ABC123DEF'

function ticksOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return Number(f[11]) + Number(f[12])
}

async function backendPids(admin: pg.Client): Promise<number[]> {
  const { rows } = await admin.query<{ pid: number }>(
    "select pid from pg_stat_activity where datname = $1 and backend_type = 'client backend'",
    [FANOUT_DB_NAME],
  )
  return rows.map((r) => r.pid)
}

async function variant(pool: pg.Pool, admin: pg.Client, ids: string[], batch: number, callers: number) {
  await pool.query("update deliveries set status = 'queued', claimed_at = null, sent_at = null, smtp_response = null")
  await pool.query('vacuum analyze deliveries')
  // Open every pool connection first, so the backends exist before CPU is read.
  const clients = await Promise.all(Array.from({ length: 10 }, () => pool.connect()))
  clients.forEach((c) => c.release())
  const pids = await backendPids(admin)
  const before = new Map(pids.map((p) => [p, ticksOf(p)]))
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const chunks: string[][] = []
  for (let i = 0; i < ids.length; i += batch) chunks.push(ids.slice(i, i + batch))
  let next = 0
  let claimed = 0
  await Promise.all(
    Array.from({ length: callers }, async () => {
      for (;;) {
        const chunk = chunks[next++]
        if (!chunk) return
        if (batch === 1) {
          const { rows } = await pool.query(CLAIM_ONE, [chunk[0]])
          claimed += rows.length
          await pool.query(FINISH_ONE, [chunk[0], 'sent', RESPONSE])
        } else {
          const { rows } = await pool.query<{ id: string }>(CLAIM_BATCH, [chunk])
          claimed += rows.length
          await pool.query(FINISH_BATCH, [rows.map((r) => r.id), rows.map(() => 'sent'), rows.map(() => RESPONSE)])
        }
      }
    }),
  )
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  const pgTicks = pids.reduce((s, p) => s + ticksOf(p) - before.get(p)!, 0)
  const { rows } = await pool.query<{ n: number }>("select count(*)::int as n from deliveries where status = 'sent'")
  return {
    batch,
    rows: ids.length,
    claimed,
    sent: rows[0]!.n,
    seconds: round(seconds, 2),
    rowsPerSec: round(ids.length / seconds, 0),
    postgresMsPerRow: round(((pgTicks / 100) * 1000) / ids.length, 3),
    clientMsPerRow: round((cpu.user + cpu.system) / 1000 / ids.length, 3),
  }
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: { subscribers: { type: 'string', default: '100000' }, batch: { type: 'string', default: '100' } },
  })
  const n = Number(values.subscribers)
  await resetFanoutDb(n)
  const pool = new pg.Pool({ connectionString: FANOUT_DATABASE_URL, max: 10 })
  const admin = new pg.Client({ connectionString: FANOUT_DATABASE_URL.replace(/\/[^/]+$/, '/postgres') })
  await admin.connect()
  try {
    await pool.query(`insert into reports (occurred_on, place_name, province, country, people_count, kind, summary, confidence, status, published_at)
                      values ('2026-11-20', 'Dandong', 'Liaoning', 'CN', 12, 'forced-return', 'x', 'credible', 'published', now())`)
    const { rows: a } = await pool.query<{ id: string }>("insert into alerts (report_id, kind, status) select id, 'report', 'sending' from reports returning id")
    await pool.query('insert into deliveries (alert_id, subscriber_id) select $1, id from subscribers order by id', [a[0]!.id])
    const { rows } = await pool.query<{ id: string }>('select id from deliveries order by id')
    const ids = rows.map((r) => r.id)
    const results = []
    for (const batch of [1, Number(values.batch)]) results.push(await variant(pool, admin, ids, batch, 20))
    console.log(
      table(
        ['deliveries per statement', 'rows', 'claimed', 'sent', 'seconds', 'rows/s', 'postgres CPU ms/row', 'client CPU ms/row'],
        results.map((r) => [r.batch, r.rows, r.claimed, r.sent, r.seconds, r.rowsPerSec, r.postgresMsPerRow, r.clientMsPerRow]),
      ),
    )
    console.log(JSON.stringify(results))
  } finally {
    await pool.end()
    await admin.end()
    await dropFanoutDb()
  }
}
