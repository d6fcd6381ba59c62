// The two phases of one size of bench/fanout.ts: raw nodemailer senders, then the app (a web
// process to publish, the worker processes as shipped), each against the same smtp-sink.
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import pg from 'pg'
import { deleteRedisPrefix } from '../tests/helper.ts'
import { CpuMeter, withForeign } from './cpu-meter.ts'
import {
  api,
  createTrigger,
  startSending,
  FANOUT_DATABASE_URL,
  FANOUT_DB_NAME,
  MAIL_FROM,
  PUBLIC_URL,
  workerEnv,
  type FanoutOptions,
} from './fanout-setup.ts'
import { PG_ADMIN_URL, REDIS_URL, ROOT, round, sleep, stamp, startAppServer, stopChild, track } from './lib.ts'
import { memoryOf, type RawResult } from './nodemailer-raw.ts'
import type { Sink } from './smtp-sink.ts'

// ---------------------------------------------------------------- worker processes

interface WorkerProc {
  child: ChildProcess
  exit: Promise<number | null>
}

/** The arguments of package.json's `worker` script after `node`: the worker exactly as shipped. */
function workerScriptArgs(): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    scripts: { worker: string }
  }
  const [node, ...args] = pkg.scripts.worker.split(' ')
  if (node !== 'node') throw new Error(`package.json's worker script does not start with node: ${pkg.scripts.worker}`)
  return args
}

export function startWorkers(n: number, env: Record<string, string>, logFile: string): WorkerProc[] {
  const fd = openSync(logFile, 'a')
  // A profiling aid: BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/p" (not allowed in NODE_OPTIONS);
  // BENCH_RAW_NODE_ARGS does the same for the raw senders.
  const nodeArgs = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean)
  const procs = Array.from({ length: n }, () => {
    const child = spawn(process.execPath, [...nodeArgs, ...workerScriptArgs()], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', fd, fd],
    })
    return { child, exit: track(child) }
  })
  closeSync(fd)
  return procs
}

/** Every worker process has its deliveries and alerts workers connected to Redis. */
export async function waitWorkersReady(prefix: string, n: number, procs: WorkerProc[]) {
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null })
  const deliveries = new Queue('deliveries', { connection, prefix })
  const alerts = new Queue('alerts', { connection, prefix })
  try {
    const until = Date.now() + 90_000
    for (;;) {
      if (procs.some((p) => p.child.exitCode !== null)) throw new Error('a worker process exited at start')
      const [d, a] = await Promise.all([deliveries.getWorkersCount(), alerts.getWorkersCount()])
      if (d >= n && a >= n) return
      if (Date.now() > until) throw new Error(`workers not ready after 90 s (${d}/${n} deliveries, ${a}/${n} alerts)`)
      await sleep(200)
    }
  } finally {
    await deliveries.close()
    await alerts.close()
    connection.disconnect()
  }
}

// ---------------------------------------------------------------- one size

export interface RawRun {
  processes: number
  results: RawResult[]
  seconds: number
  perSec: number
  sinkDelta: number
  peakRssMb: number[]
  cpu: Record<string, number>
  topProcesses: { pid: number; cpuSeconds: number; cmd: string }[]
}

export interface AppRun {
  alertId: string
  /** Epoch ms: publish request sent. */
  publishedAt: number
  publishStatus: number
  /** Seconds after the publish request was sent. */
  publishAnswered: number
  fannedOut: number
  firstSent: number
  p10Sent: number
  p90Sent: number
  lastSent: number
  sinkReached: number | null
  seconds: number
  perSec: number
  steadyPerSec: number
  msPerMessage: number
  deliveries: Record<string, number>
  alertStatus: { status: string; recipients: number; sent: number; failed: number; suppressed: number }
  sinkDelta: number
  workers: { pid: number; peakRssMb: number; rssMb: number }[]
  warnLines: number
  cpu: Record<string, number>
  /** Per message: Postgres transactions and rows of the bench database, Redis commands (server-wide). */
  perMessage: { postgres: Counters; redis: Counters }
  /** Seconds after publish by which 10%, 20% ... 100% of the rows were sent. */
  deciles: number[]
  /** Top CPU users of the machine during the run (any process, ours or not). */
  topProcesses: { pid: number; cpuSeconds: number; cmd: string }[]
}

export interface SizeResult {
  subscribers: number
  seedSeconds: number
  messageBytes: number
  loadavgBefore: number[]
  raw: RawRun | null
  /** The raw run again, after ours: the baseline is the mean of the two, so a drift of the host's speed during the size's runs weighs on both sides alike. */
  rawAfter: RawRun | null
  /** Mean of raw and rawAfter, messages/s. */
  rawPerSec: number | null
  app: AppRun
  ratio: number | null
  pass: boolean
  verdict: string
}

export async function runRaw(
  opts: FanoutOptions,
  sink: Sink,
  n: number,
  samplePath: string,
  redisPidN: number,
): Promise<RawRun> {
  const per = Math.ceil(n / opts.processes)
  const procs = Array.from({ length: opts.processes }, (_, i) => {
    const messages = Math.min(per, n - i * per)
    const child = spawn(
      process.execPath,
      [
        ...(process.env.BENCH_RAW_NODE_ARGS ?? '').split(' ').filter(Boolean),
        '--import',
        'tsx',
        'bench/nodemailer-raw.ts',
        '--port',
        String(sink.port),
        '--messages',
        String(messages),
        '--pool',
        String(opts.pool),
        '--concurrency',
        String(opts.concurrency),
        '--sample',
        samplePath,
        '--prefix',
        `raw.${i}`,
        '--wait-go',
      ],
      { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
    )
    const exit = track(child)
    const lines: string[] = []
    const ready = new Promise<void>((resolve) => {
      createInterface({ input: child.stdout }).on('line', (l) => {
        lines.push(l)
        if (l.includes('"ready"')) resolve()
      })
    })
    return { child, exit, lines, ready }
  })
  await Promise.race([
    Promise.all(procs.map((p) => p.ready)),
    sleep(60_000).then(() => Promise.reject(new Error('raw senders not ready'))),
  ])
  const before = sink.count()
  const meter = new CpuMeter({ redis: [redisPidN], smtpSink: [sink.pid] })
  const t0 = Date.now()
  for (const p of procs) p.child.stdin.write('go\n')
  const codes = await Promise.all(procs.map((p) => p.exit))
  if (codes.some((c) => c !== 0)) throw new Error(`raw sender exited with ${codes.join(',')}`)
  const results = procs.map((p) => JSON.parse(p.lines.at(-1)!) as RawResult)
  const end = Math.max(...results.map((r) => r.finishedAt))
  await sleep(300) // smtp-sink counts after its reply; let the last update arrive
  const seconds = (end - t0) / 1000
  await meter.sample()
  const cpu = meter.result(seconds)
  const sent = results.reduce((s, r) => s + r.sent, 0)
  return {
    processes: opts.processes,
    results,
    seconds: round(seconds, 2),
    perSec: round(sent / seconds, 0),
    sinkDelta: sink.count() - before,
    peakRssMb: results.map((r) => r.peakRssMb),
    // The senders report their own CPU (they have exited: /proc has nothing left of them).
    cpu: withForeign({
      ...cpu,
      senders: round(
        results.reduce((s, r) => s + r.cpuSeconds, 0),
        1,
      ),
    }),
    topProcesses: meter.top(),
  }
}

export async function runApp(
  opts: FanoutOptions,
  sink: Sink,
  n: number,
  token: string,
  redisPidN: number,
  logFile: string,
): Promise<AppRun> {
  const prefix = `uafan${stamp().replace(/\D/g, '').slice(-8)}${n}`
  const env = workerEnv(opts, sink.port, prefix)
  const web = await startAppServer({ DATABASE_URL: FANOUT_DATABASE_URL, QUEUE_PREFIX: prefix, PUBLIC_URL, MAIL_FROM })
  const workers = startWorkers(opts.processes, env, logFile)
  const warnBefore = countLines(logFile)
  const client = new pg.Client({ connectionString: FANOUT_DATABASE_URL })
  await client.connect()
  // CPU sampling and statistics go through another database, so they add nothing to the bench one's.
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL })
  await admin.connect()
  let ownQueries = 0 // statements this script runs on the bench database during the run
  try {
    await waitWorkersReady(prefix, opts.processes, workers)
    const trigger = await createTrigger(web, token, opts.kind)

    const before = sink.count()
    const meter = new CpuMeter(
      { workers: workers.map((w) => w.child.pid!), web: [web.pid], redis: [redisPidN], smtpSink: [sink.pid] },
      FANOUT_DB_NAME,
    )
    await meter.sample(admin)
    const [pgBefore, redisBefore] = await Promise.all([dbCounters(admin), redisCounters()])
    const t0 = Date.now()
    const published = await startSending(web, token, trigger)
    const tAnswered = Date.now()
    const alertId = published.alertId

    // Wait on smtp-sink's counter (no load on Postgres), sampling CPU and printing progress.
    const sinkReached = sink.reach(before + n)
    let reachedAt: number | null = null
    sinkReached.then(
      (t) => (reachedAt = t),
      () => {},
    ) // reach() never rejects
    let lastCount = -1
    let lastChange = Date.now()
    let lastPrint = Date.now()
    while (reachedAt === null) {
      await sleep(500)
      await meter.sample(admin)
      const c = sink.count() - before
      if (c !== lastCount) {
        lastCount = c
        lastChange = Date.now()
      }
      if (Date.now() - lastPrint > 10_000) {
        lastPrint = Date.now()
        process.stdout.write(`  ${round((Date.now() - t0) / 1000, 0)} s: smtp-sink ${c}/${n}\n`)
      }
      if (Date.now() - lastChange > 60_000) break // stalled: stop and report what was done
      if (workers.some((w) => w.child.exitCode !== null)) throw new Error('a worker process died during the run')
    }
    // Then every row must say sent (the row is updated after the SMTP answer).
    const sentQuery = `select count(*)::int as n from deliveries where alert_id = $1 and status = 'sent'`
    const until = Date.now() + 60_000
    for (;;) {
      const { rows } = await client.query<{ n: number }>(sentQuery, [alertId])
      ownQueries++
      if (rows[0]!.n >= n || Date.now() > until) break
      await sleep(50)
    }
    await meter.sample(admin)
    const top = meter.top()
    const memory = workers.map((w) => ({ pid: w.child.pid!, ...memoryOf(w.child.pid!) }))
    const redisAfter = await redisCounters()
    await sleep(1500) // backends flush their statistics at most once a second
    const pgAfter = await dbCounters(admin)
    const perMsg = {
      postgres: perMessage(pgBefore, pgAfter, n, { xact_commit: ownQueries }),
      redis: perMessage(redisBefore, redisAfter, n, { info: 1 }),
    }

    const { rows: byStatus } = await client.query<{ status: string; n: number }>(
      'select status, count(*)::int as n from deliveries where alert_id = $1 group by status',
      [alertId],
    )
    const { rows: times } = await client.query<{
      fanned: number | null
      first: number
      p10: number
      p90: number
      last: number
    }>(
      `select extract(epoch from a.fanned_out_at) * 1000 as fanned,
              extract(epoch from min(d.sent_at)) * 1000 as first,
              extract(epoch from percentile_disc(0.1) within group (order by d.sent_at)) * 1000 as p10,
              extract(epoch from percentile_disc(0.9) within group (order by d.sent_at)) * 1000 as p90,
              extract(epoch from max(d.sent_at)) * 1000 as last
       from alerts a join deliveries d on d.alert_id = a.id and d.status = 'sent'
       where a.id = $1 group by a.fanned_out_at`,
      [alertId],
    )
    const { rows: dec } = await client.query<{ at: number[] }>(
      `with q as (
         select percentile_disc(array[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]) within group (order by sent_at) as ts
         from deliveries where alert_id = $1 and status = 'sent')
       select array(select extract(epoch from t.v) * 1000 from unnest(q.ts) with ordinality as t(v, i) order by t.i) as at from q`,
      [alertId],
    )
    const progress = await api<AppRun['alertStatus']>(web, token, 'GET', `/api/v1/alerts/${alertId}`)
    const tm = times[0]!
    const rel = (t: number | null) => (t === null ? NaN : round((Number(t) - t0) / 1000, 3))
    const seconds = (Number(tm.last) - t0) / 1000
    const sent = byStatus.find((r) => r.status === 'sent')?.n ?? 0
    return {
      alertId,
      publishedAt: t0,
      publishStatus: published.status,
      publishAnswered: round((tAnswered - t0) / 1000, 3),
      fannedOut: rel(tm.fanned),
      firstSent: rel(tm.first),
      p10Sent: rel(tm.p10),
      p90Sent: rel(tm.p90),
      lastSent: rel(tm.last),
      sinkReached: reachedAt === null ? null : rel(reachedAt),
      seconds: round(seconds, 2),
      perSec: round(sent / seconds, 0),
      steadyPerSec: round((0.8 * sent) / ((Number(tm.p90) - Number(tm.p10)) / 1000), 0),
      msPerMessage: round((seconds * 1000) / sent, 3),
      deliveries: Object.fromEntries(byStatus.map((r) => [r.status, r.n])),
      alertStatus: progress.json,
      sinkDelta: sink.count() - before,
      workers: memory,
      warnLines: countLines(logFile) - warnBefore,
      cpu: withForeign(meter.result(seconds)),
      perMessage: perMsg,
      deciles: (dec[0]?.at ?? []).map((t) => rel(Number(t))),
      topProcesses: top,
    }
  } finally {
    await client.end()
    await admin.end()
    await Promise.all(workers.map((w) => stopChild(w.child, w.exit)))
    await web.stop()
    await deleteRedisPrefix(REDIS_URL, prefix)
  }
}

type Counters = Record<string, number>

/** Transactions and rows of the bench database (cumulative statistics; read from another database). */
async function dbCounters(admin: pg.Client): Promise<Counters> {
  await admin.query('select pg_stat_clear_snapshot()')
  const { rows } = await admin.query<Record<string, string>>(
    `select xact_commit, xact_rollback, tup_returned, tup_fetched, tup_inserted, tup_updated, blks_hit, blks_read
     from pg_stat_database where datname = $1`,
    [FANOUT_DB_NAME],
  )
  return Object.fromEntries(Object.entries(rows[0] ?? {}).map(([k, v]) => [k, Number(v)]))
}

/** Redis commands by name (INFO commandstats). The server is shared: anything else running adds to it. */
async function redisCounters(): Promise<Counters> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 })
  try {
    const info = await redis.info('commandstats')
    const out: Counters = {}
    for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) out[m[1]!] = Number(m[2])
    return out
  } finally {
    redis.disconnect()
  }
}

/** after - before, per message, for the counters that moved. */
function perMessage(before: Counters, after: Counters, messages: number, minus: Counters = {}): Counters {
  const out: Counters = {}
  for (const [k, v] of Object.entries(after)) {
    const d = v - (before[k] ?? 0) - (minus[k] ?? 0)
    if (d > 0) out[k] = round(d / messages, 2)
  }
  return out
}

function countLines(file: string): number {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).length
  } catch {
    return 0
  }
}
