// Issue 4, fan-out throughput: from POST /api/v1/reports/:id/publish (through the real web process)
// to the last delivery row marked 'sent', every message going to Postfix's smtp-sink, for 1,000,
// 10,000 and 100,000 active immediate subscribers. Compared in the same run with nodemailer alone
// (bench/nodemailer-raw.ts) sending as many messages of the same size and headers to the same
// smtp-sink, with the same number of processes, pool size and concurrency: once before ours and
// once after, the baseline being the mean of the two (the host's speed drifts by 15% and more).
//
//   node --import tsx bench/fanout.ts [--sizes 1000,10000,100000] [--processes 2] [--concurrency 20]
//        [--pool 5] [--poll-ms 250] [--no-raw] [--keep-db] [--label text] [--cpu-prof]
//        [--wait-for-load 1.5] [--worker-node-args=--max-old-space-size=128] [--worker-entry build.mjs]
//
// Per size: the bench database (FANOUT_DB_NAME) is dropped and recreated, migrated, the demo
// campaign loaded, and N subscribers seeded with one INSERT ... SELECT generate_series (active,
// immediate, topic_all). Then: one web process (src/server.ts, production mode) to create and
// publish the report; --processes worker processes (package.json's `worker` script as it is)
// with SMTP_URL=smtp://127.0.0.1:<sink>?tls=off, DELIVERY_CONCURRENCY, SMTP_POOL_SIZE, a queue prefix of their own and LOG_LEVEL=warn (their log goes to
// bench/results/fanout-<time>-workers.log). Tuning is by those env variables only.
//
// Measured: publish -> fanned_out_at -> last sent_at (max(sent_at) of the alert's deliveries, same
// host clock), cross-checked with the moment smtp-sink's -c counter reached the expected count; the
// steady rate between the 10th and 90th percentile of sent_at; each worker's peak RSS (VmHWM, read
// from /proc before it is stopped); CPU seconds used by the workers, Postgres (backends on the bench
// database), Redis, smtp-sink and the whole machine during the run. Prints tables and PASS/FAIL per
// target; saves bench/results/fanout-<time>.json. Deletes the run's Redis keys, and drops the bench
// database at the end (--keep-db keeps it).
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import pg from 'pg'
import { parseConfig, type Config } from '../src/config.ts'
import { createDb } from '../src/db/index.ts'
import { alertTemplate, bulkHeaders, fill, subscriberLinks } from '../src/modules/alerts/compose.ts'
import { loadDemo, DEMO_SLUG } from '../src/modules/demo/service.ts'
import { createApiToken, createOrganizer } from '../src/modules/organizers/service.ts'
import { createEmailRenderer } from '../src/mail/render.ts'
import { prepareDatabase } from '../src/runtime.ts'
import {
  freePort,
  isMain,
  machine,
  PG_ADMIN_URL,
  PG_SERVER_URL,
  REDIS_URL,
  RESULTS_DIR,
  ROOT,
  round,
  saveResult,
  sleep,
  stamp,
  startAppServer,
  table,
  verdict,
  waitForQuiet,
  withPg,
  type Server,
} from './lib.ts'
import { memoryOf, type RawResult, type RawSample } from './nodemailer-raw.ts'

/** Its own database, so the page/signing benchmarks' ua_bench is never touched. */
export const FANOUT_DB_NAME = 'ua_bench_fanout'
export const FANOUT_DATABASE_URL = `${PG_SERVER_URL}/${FANOUT_DB_NAME}`
const SMTP_SINK = '/usr/sbin/smtp-sink'
/** 40 characters; the workers run with NODE_ENV=production, which requires one. */
const SECRET_KEY = 'bench-only-secret-key-0123456789abcdefgh'
const PUBLIC_URL = 'https://urgent-action.example.org'
const MAIL_FROM = 'Urgent Action <alerts@urgent-action.example.org>'
const CLK_TCK = 100

export interface FanoutOptions {
  sizes: number[]
  processes: number
  concurrency: number
  pool: number
  pollMs: number
  raw: boolean
  keepDb: boolean
  label: string
  /** Before each measured phase, wait for a quiet machine (waitForMachine: load average below this). */
  waitForLoad?: number
  /** Diagnostics only: run this .js/.mjs file with plain node instead of the `worker` script's arguments (a build of it). */
  workerEntry?: string
  /** Node flags for the worker processes, before the entry (diagnostics only, e.g. --max-old-space-size=128). */
  workerNodeArgs?: string[]
  /** Directory for the workers' V8 CPU profiles (node --cpu-prof), written when they stop. */
  cpuProfDir?: string
}

export const FANOUT_DEFAULTS: FanoutOptions = {
  sizes: [1000, 10_000, 100_000],
  processes: 2,
  concurrency: 20,
  pool: 5,
  pollMs: 250,
  raw: true,
  keepDb: false,
  label: 'fanout',
}

// ---------------------------------------------------------------- processes of our own

const ours = new Set<ChildProcess>()
process.on('exit', () => {
  for (const c of ours) c.kill('SIGKILL')
})

function track(child: ChildProcess) {
  ours.add(child)
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      ours.delete(child)
      resolve(code)
    }),
  )
  return exit
}

async function stopChild(child: ChildProcess, exit: Promise<unknown>, graceMs = 20_000) {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exit
  clearTimeout(timer)
}

// ---------------------------------------------------------------- smtp-sink

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
  child.stdout!.on('data', (d: Buffer) => {
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
      import('node:net').then(({ connect }) => {
        const s = connect(port, '127.0.0.1', () => {
          s.destroy()
          resolve(true)
        })
        s.on('error', () => resolve(false))
      })
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

// ---------------------------------------------------------------- database

/** Drops and recreates the fan-out database, migrated, demo loaded, n subscribers; returns an API token. */
export async function resetFanoutDb(subscribers: number): Promise<{ token: string; seedSeconds: number }> {
  await withPg(PG_ADMIN_URL, (c) => c.query(`drop database if exists "${FANOUT_DB_NAME}" with (force)`))
  const db = await prepareDatabase(parseConfig({ DATABASE_URL: FANOUT_DATABASE_URL, LOG_LEVEL: 'silent' }))
  let token: string
  try {
    await loadDemo(db)
    await createOrganizer(db, { email: 'bench-organizer@example.org', name: 'Bench Organizer', role: 'organizer' })
    token = await createApiToken(db, 'bench-organizer@example.org')
  } finally {
    await db.destroy()
  }
  const t0 = Date.now()
  await withPg(FANOUT_DATABASE_URL, async (c) => {
    await c.query(
      `insert into subscribers (email, email_key, locale, frequency, status, topic_all, nonce, created_at, confirmed_at)
       select 'subscriber.' || i || '@bench.example.org',
              'subscriber.' || i || '@bench.example.org',
              'en', 'immediate', 'active', true,
              decode(md5('fanout-' || i), 'hex'),
              now() - interval '2 days', now() - interval '1 day'
       from generate_series(1, $1::bigint) as i`,
      [subscribers],
    )
    await c.query('vacuum analyze subscribers')
  })
  return { token, seedSeconds: round((Date.now() - t0) / 1000, 1) }
}

export async function dropFanoutDb() {
  await withPg(PG_ADMIN_URL, (c) => c.query(`drop database if exists "${FANOUT_DB_NAME}" with (force)`))
}

// ---------------------------------------------------------------- CPU accounting

function cpuTicksOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after "(comm) ".
    return Number(fields[11]) + Number(fields[12])
  } catch {
    return NaN
  }
}

/** CPU ticks and command line of every process now (those that start and end between two calls are missed). */
function allProcessTicks(): Map<number, { ticks: number; cmd: string }> {
  const out = new Map<number, { ticks: number; cmd: string }>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const ticks = cpuTicksOf(Number(entry))
    if (Number.isNaN(ticks)) continue
    let cmd = ''
    try {
      cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim().slice(0, 100)
    } catch {
      // gone
    }
    out.set(Number(entry), { ticks, cmd })
  }
  return out
}

/** Whole-machine busy and total jiffies from /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number)
  const total = line.reduce((a, b) => a + b, 0)
  const idle = line[3]! + line[4]! // idle + iowait
  return { busy: total - idle, total }
}

/**
 * Tracks CPU time of given pids, plus the Postgres backends serving one database (found through
 * pg_stat_activity on each sample; a backend's time is its last value seen).
 */
class CpuMeter {
  private start = new Map<number, number>()
  private last = new Map<number, number>()
  private pgPids = new Set<number>()
  private machine0 = machineTicks()
  private driver0 = process.cpuUsage()
  private all0 = allProcessTicks()
  constructor(private groups: Record<string, number[]>) {
    for (const pids of Object.values(groups)) for (const pid of pids) this.start.set(pid, cpuTicksOf(pid))
  }
  async sample(client?: { query: (q: string, v: unknown[]) => Promise<{ rows: { pid: number }[] }> }) {
    const rows = client ? (await client.query('select pid from pg_stat_activity where datname = $1', [FANOUT_DB_NAME])).rows : []
    for (const { pid } of rows) {
      if (!this.pgPids.has(pid)) {
        this.pgPids.add(pid)
        this.start.set(pid, 0) // backends are opened for the run: count their whole life
      }
    }
    for (const pid of [...this.pgPids, ...Object.values(this.groups).flat()]) {
      const t = cpuTicksOf(pid)
      if (!Number.isNaN(t)) this.last.set(pid, t)
    }
  }
  result(seconds: number) {
    const used = (pids: Iterable<number>) => {
      let ticks = 0
      for (const pid of pids) ticks += Math.max(0, (this.last.get(pid) ?? 0) - (this.start.get(pid) ?? 0))
      return round(ticks / CLK_TCK, 1)
    }
    const m = machineTicks()
    const out: Record<string, number> = {}
    for (const [name, pids] of Object.entries(this.groups)) out[name] = used(pids)
    out.postgres = used(this.pgPids)
    const driver = process.cpuUsage(this.driver0)
    out.driver = round((driver.user + driver.system) / 1e6, 1) // this script: polling, smtp-sink's counter
    // Share of the whole machine's CPU (all cores) busy over the run: 1.0 = every core busy.
    out.machineBusyShare = round((m.busy - this.machine0.busy) / (m.total - this.machine0.total), 2)
    out.machineBusySeconds = round((m.busy - this.machine0.busy) / CLK_TCK, 1)
    out.wallSeconds = round(seconds, 1)
    return out
  }
  /** The processes that used the most CPU since the meter started (any owner), to tell who else ran. */
  top(n = 8): { pid: number; cpuSeconds: number; cmd: string }[] {
    const now = allProcessTicks()
    return [...now.entries()]
      .map(([pid, p]) => ({ pid, cpuSeconds: round((p.ticks - (this.all0.get(pid)?.ticks ?? 0)) / CLK_TCK, 1), cmd: p.cmd }))
      .filter((p) => p.cpuSeconds > 0)
      .sort((a, b) => b.cpuSeconds - a.cpuSeconds)
      .slice(0, n)
  }
}

function withForeign(cpu: Record<string, number>) {
  return { ...cpu, foreign: foreign(cpu, ['senders', 'workers', 'web', 'postgres', 'redis', 'smtpSink', 'driver']) }
}

/** CPU the machine spent on anything this benchmark did not start (other people's work, Postgres's background processes). */
function foreign(cpu: Record<string, number>, ours: string[]): number {
  return round(cpu.machineBusySeconds! - ours.reduce((sum, k) => sum + (cpu[k] ?? 0), 0), 1)
}

function redisPid(): Promise<number> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 })
  return redis
    .connect()
    .then(() => redis.info('server'))
    .then((info) => Number(/process_id:(\d+)/.exec(info)?.[1] ?? NaN))
    .finally(() => redis.disconnect())
}

/**
 * Waits until the machine looks quiet: 1-min load average below `maxLoad` (lib.ts waitForQuiet),
 * less than 30% of the CPU busy over the last 3 s, and no other bench/ script running (the page
 * and signing benchmarks wait for a quiet machine too: two benchmarks at once would skew both).
 */
export async function waitForMachine(maxLoad: number, timeoutS = 1800) {
  const until = Date.now() + timeoutS * 1000
  let announced = false
  for (;;) {
    await waitForQuiet(maxLoad, Math.max(1, (until - Date.now()) / 1000))
    const a = machineTicks()
    await sleep(3000)
    const b = machineTicks()
    const busy = (b.busy - a.busy) / (b.total - a.total)
    const others = otherBenches()
    if ((busy < 0.3 && others.length === 0) || Date.now() > until) return { loadavg: round(os.loadavg()[0]!, 2), busy: round(busy, 2), others }
    if (!announced) console.log(`waiting: CPU ${round(busy * 100, 0)}% busy, other benchmarks running: ${others.join('; ') || 'none'}`)
    announced = true
    await sleep(5000)
  }
}

/** Command lines of bench/ scripts this process did not start. */
function otherBenches(): string[] {
  const mine = new Set([process.pid, ...[...ours].map((c) => c.pid)])
  // and this script's ancestors (a `timeout` or shell that started it has the same command line)
  for (let pid = process.ppid; pid > 1 && !mine.has(pid); ) {
    mine.add(pid)
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    } catch {
      break
    }
  }
  const found: string[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || mine.has(Number(entry))) continue
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ')
      if (/bench\/(run-all|signing|campaign-page|seed|pg-insert-baseline|fanout)\.ts/.test(cmd)) found.push(cmd.trim())
    } catch {
      // gone
    }
  }
  return found
}

// ---------------------------------------------------------------- the app side

function workerEnv(opts: FanoutOptions, sinkPort: number, prefix: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    SECRET_KEY,
    LOG_LEVEL: 'warn',
    DATABASE_URL: FANOUT_DATABASE_URL,
    REDIS_URL,
    SMTP_URL: `smtp://127.0.0.1:${sinkPort}?tls=off`,
    MAIL_FROM,
    PUBLIC_URL,
    QUEUE_PREFIX: prefix,
    DELIVERY_CONCURRENCY: String(opts.concurrency),
    SMTP_POOL_SIZE: String(opts.pool),
    OUTBOX_POLL_MS: String(opts.pollMs),
  }
}

interface WorkerProc {
  child: ChildProcess
  exit: Promise<number | null>
}

/** The arguments of package.json's `worker` script after `node`: the worker exactly as shipped. */
function workerScriptArgs(): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { worker: string } }
  const [node, ...args] = pkg.scripts.worker.split(' ')
  if (node !== 'node') throw new Error(`package.json's worker script does not start with node: ${pkg.scripts.worker}`)
  return args
}

function startWorkers(
  n: number,
  env: Record<string, string>,
  logFile: string,
  cpuProfDir?: string,
  entry?: string,
  nodeArgs: string[] = [],
): WorkerProc[] {
  const fd = openSync(logFile, 'a')
  const prof = [...nodeArgs, ...(cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : [])]
  const args = entry ? [...prof, entry] : [...prof, ...workerScriptArgs()]
  const procs = Array.from({ length: n }, () => {
    const child = spawn(process.execPath, args, {
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
async function waitWorkersReady(prefix: string, n: number, procs: WorkerProc[]) {
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

async function api<T>(server: Server, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(server.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, json: (await res.json()) as T }
}

/** A realistic report: the alert's size is what the subscribers would get. */
export const BENCH_REPORT = {
  occurredOn: '2026-11-20',
  place: { name: 'Dandong', province: 'Liaoning', country: 'CN' },
  peopleCount: 12,
  kind: 'forced-return',
  summary:
    'Relatives report that twelve North Koreans held at the Dandong border detention centre, among them two ' +
    'teenagers, were driven across the Sino-Korean Friendship Bridge to Sinuiju on the morning of 20 November. ' +
    'Two of them had been held since the spring; their families in Seoul had asked the Chinese embassy to let them ' +
    'leave for South Korea. Returnees are questioned by the State Security Department and many are sent to ' +
    'detention centres where torture and forced labour are documented.',
  sourceName: 'Testimony from relatives, checked with a second source',
  sourceUrl: 'https://www.hrw.org/news/2021/07/22/china-forcibly-return-refugees-north-korea',
  confidence: 'credible',
  campaign: DEMO_SLUG,
} as const

/**
 * The first subscriber's message exactly as src/modules/alerts/delivery.ts builds it (the app's
 * compose functions, the workers' config), for the raw nodemailer baseline.
 */
async function renderSample(config: Config, reportId: string): Promise<RawSample> {
  const db = createDb(config.databaseUrl, { max: 1 })
  try {
    const deps = { db, config, render: createEmailRenderer(config) }
    const alert = {
      id: `sample-${reportId}`,
      report_id: reportId,
      kind: 'report' as const,
      status: 'sending' as const,
      fanout_cursor: '0',
      created_at: new Date(),
      fanned_out_at: null,
    }
    const template = await alertTemplate(deps, alert, 'en')
    if (!template) throw new Error('no report to render')
    const sub = await db.selectFrom('subscribers').select(['nonce']).orderBy('id').limit(1).executeTakeFirstOrThrow()
    const links = subscriberLinks(config, sub.nonce)
    return { from: config.mailFrom, ...fill(template, links), headers: bulkHeaders(config, links), messageIdHost: new URL(config.publicUrl).hostname }
  } finally {
    await db.destroy()
  }
}

/** Bytes of one message on the wire, as nodemailer builds it. */
async function messageBytes(sample: RawSample): Promise<number> {
  const nodemailer = (await import('nodemailer')).default
  const t = nodemailer.createTransport({ streamTransport: true, buffer: true })
  const info = await t.sendMail({
    from: sample.from,
    to: 'subscriber.1@bench.example.org',
    subject: sample.subject,
    text: sample.text,
    html: sample.html,
    headers: sample.headers,
    messageId: `<report-1.report.1@${sample.messageIdHost}>`,
  })
  return (info.message as Buffer).length
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
  /** Epoch ms: worker processes spawned, publish request sent (to place CPU profile samples). */
  workersSpawnedAt: number
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

async function runRaw(opts: FanoutOptions, sink: Sink, n: number, samplePath: string, redisPidN: number): Promise<RawRun> {
  const per = Math.ceil(n / opts.processes)
  const procs = Array.from({ length: opts.processes }, (_, i) => {
    const messages = Math.min(per, n - i * per)
    const child = spawn(
      process.execPath,
      [
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
      createInterface({ input: child.stdout! }).on('line', (l) => {
        lines.push(l)
        if (l.includes('"ready"')) resolve()
      })
    })
    return { child, exit, lines, ready }
  })
  await Promise.race([Promise.all(procs.map((p) => p.ready)), sleep(60_000).then(() => Promise.reject(new Error('raw senders not ready')))])
  const before = sink.count()
  const meter = new CpuMeter({ redis: [redisPidN], smtpSink: [sink.pid] })
  const t0 = Date.now()
  for (const p of procs) p.child.stdin!.write('go\n')
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
    cpu: withForeign({ ...cpu, senders: round(results.reduce((s, r) => s + r.cpuSeconds, 0), 1) }),
    topProcesses: meter.top(),
  }
}

async function runApp(opts: FanoutOptions, sink: Sink, n: number, token: string, redisPidN: number, logFile: string): Promise<AppRun> {
  const prefix = `uafan${stamp().replace(/\D/g, '').slice(-8)}${n}`
  const env = workerEnv(opts, sink.port, prefix)
  const web = await startAppServer({ DATABASE_URL: FANOUT_DATABASE_URL, QUEUE_PREFIX: prefix, PUBLIC_URL, MAIL_FROM })
  const workersSpawnedAt = Date.now()
  const workers = startWorkers(opts.processes, env, logFile, opts.cpuProfDir, opts.workerEntry, opts.workerNodeArgs)
  const warnBefore = countLines(logFile)
  const client = new pg.Client({ connectionString: FANOUT_DATABASE_URL })
  await client.connect()
  // CPU sampling and statistics go through another database, so they add nothing to the bench one's.
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL })
  await admin.connect()
  let ownQueries = 0 // statements this script runs on the bench database during the run
  try {
    await waitWorkersReady(prefix, opts.processes, workers)
    const created = await api<{ id: string }>(web, token, 'POST', '/api/v1/reports', BENCH_REPORT)
    if (created.status !== 201) throw new Error(`create report answered ${created.status}: ${JSON.stringify(created.json)}`)

    const before = sink.count()
    const meter = new CpuMeter({
      workers: workers.map((w) => w.child.pid!),
      web: [web.pid],
      redis: [redisPidN],
      smtpSink: [sink.pid],
    })
    await meter.sample(admin)
    const [pgBefore, redisBefore] = await Promise.all([dbCounters(admin), redisCounters()])
    const t0 = Date.now()
    const published = await api<{ alert: { id: string } }>(web, token, 'POST', `/api/v1/reports/${created.json.id}/publish`)
    const tAnswered = Date.now()
    if (published.status !== 202) throw new Error(`publish answered ${published.status}: ${JSON.stringify(published.json)}`)
    const alertId = published.json.alert.id

    // Wait on smtp-sink's counter (no load on Postgres), sampling CPU and printing progress.
    const sinkReached = sink.reach(before + n)
    let reachedAt: number | null = null
    void sinkReached.then((t) => (reachedAt = t))
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
      workersSpawnedAt,
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
    await deleteQueueKeys(prefix)
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

/** Deletes the run's BullMQ keys (`<prefix>:*`): Redis is shared and the bench leaves nothing in it. */
async function deleteQueueKeys(prefix: string): Promise<number> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 })
  let deleted = 0
  try {
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
      cursor = next
      if (keys.length) deleted += await redis.unlink(...keys)
    } while (cursor !== '0')
  } finally {
    redis.disconnect()
  }
  return deleted
}

function countLines(file: string): number {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).length
  } catch {
    return 0
  }
}

export async function runFanout(opts: FanoutOptions = FANOUT_DEFAULTS, runStamp = stamp()) {
  mkdirSync(RESULTS_DIR, { recursive: true })
  const sink = await startSink()
  const redisPidN = await redisPid()
  const logFile = `${RESULTS_DIR}fanout-${runStamp}-workers.log`
  const samplePath = `${RESULTS_DIR}fanout-${runStamp}-sample.json`
  const sizes: SizeResult[] = []
  try {
    for (const n of opts.sizes) {
      console.log(`\n--- ${n.toLocaleString('en')} subscribers: reset ${FANOUT_DB_NAME} and seed`)
      const { token, seedSeconds } = await resetFanoutDb(n)
      const loadavgBefore = os.loadavg().map((x) => round(x, 2))

      // The report is created as a draft by the web process; the raw senders get its message.
      const config = parseConfig(workerEnv(opts, sink.port, 'unused'))
      let raw: RawRun | null = null
      let bytes = 0
      {
        const web = await startAppServer({ DATABASE_URL: FANOUT_DATABASE_URL, PUBLIC_URL, MAIL_FROM })
        let reportId: string
        try {
          const draft = await api<{ id: string }>(web, token, 'POST', '/api/v1/reports', BENCH_REPORT)
          if (draft.status !== 201) throw new Error(`create report answered ${draft.status}`)
          reportId = draft.json.id
        } finally {
          await web.stop()
        }
        const sample = await renderSample(config, reportId)
        writeFileSync(samplePath, JSON.stringify(sample, null, 2))
        bytes = await messageBytes(sample)
        if (opts.raw) {
          if (opts.waitForLoad) await waitForMachine(opts.waitForLoad)
          console.log(`raw nodemailer: ${opts.processes} process(es), pool ${opts.pool}, concurrency ${opts.concurrency}, ${bytes} bytes/message`)
          raw = await runRaw(opts, sink, n, samplePath, redisPidN)
          console.log(`  ${raw.perSec} messages/s, ${raw.seconds} s, smtp-sink counted ${raw.sinkDelta}`)
        }
      }

      if (opts.waitForLoad) await waitForMachine(opts.waitForLoad)
      console.log(
        `app: ${opts.processes} worker process(es), DELIVERY_CONCURRENCY=${opts.concurrency}, SMTP_POOL_SIZE=${opts.pool}, OUTBOX_POLL_MS=${opts.pollMs}` +
          (opts.workerNodeArgs ? `, node flags ${opts.workerNodeArgs.join(' ')}` : '') +
          (opts.workerEntry ? `, entry ${opts.workerEntry} (plain node)` : ''),
      )
      const app = await runApp(opts, sink, n, token, redisPidN, logFile)
      console.log(`  ${app.perSec} messages/s, publish -> last sent ${app.seconds} s, smtp-sink counted ${app.sinkDelta}`)
      let rawAfter: RawRun | null = null
      if (raw) {
        if (opts.waitForLoad) await waitForMachine(opts.waitForLoad)
        console.log('raw nodemailer again, after ours')
        rawAfter = await runRaw(opts, sink, n, samplePath, redisPidN)
        console.log(`  ${rawAfter.perSec} messages/s, ${rawAfter.seconds} s, smtp-sink counted ${rawAfter.sinkDelta}`)
      }
      const rawPerSec = raw && rawAfter ? round((raw.perSec + rawAfter.perSec) / 2, 0) : null
      const ratio = rawPerSec ? round(app.perSec / rawPerSec, 3) : null
      const allSent = app.deliveries.sent === n && app.sinkDelta === n
      const pass = allSent && (ratio === null || ratio >= 0.7)
      sizes.push({
        subscribers: n,
        seedSeconds,
        messageBytes: bytes,
        loadavgBefore,
        raw,
        rawAfter,
        rawPerSec,
        app,
        ratio,
        pass,
        verdict: verdict(
          pass,
          `${n.toLocaleString('en')}: ${app.perSec} msg/s publish -> last sent (${app.seconds} s)` +
            (raw ? ` vs raw nodemailer ${rawPerSec} msg/s (${raw.perSec} before, ${rawAfter?.perSec} after): ${round((ratio ?? 0) * 100, 1)}% (target >= 70%)` : '') +
            `; ${app.deliveries.sent ?? 0}/${n} rows sent, smtp-sink counted ${app.sinkDelta}`,
        ),
      })
    }
  } finally {
    await sink.stop()
    if (!opts.keepDb) await dropFanoutDb()
  }
  return { sizes, logFile, samplePath }
}

export function printFanout(sizes: SizeResult[], opts: FanoutOptions) {
  console.log(
    `\nfan-out [${opts.label}]: ${opts.processes} worker process(es), DELIVERY_CONCURRENCY=${opts.concurrency}, SMTP_POOL_SIZE=${opts.pool}; raw: as many nodemailer processes, same pool and concurrency`,
  )
  console.log(
    table(
      ['subscribers', 'bytes/msg', 'raw msg/s: before, after -> mean', 'ours msg/s', 'ours / raw', 'publish->fanned out s', 'publish->last sent s', 'smtp-sink reached s', 'steady msg/s (p10-p90)', 'ms/msg', 'rows sent', 'sink count', 'load before'],
      sizes.map((s) => [
        s.subscribers,
        s.messageBytes,
        s.raw ? `${s.raw.perSec}, ${s.rawAfter?.perSec} -> ${s.rawPerSec}` : '-',
        s.app.perSec,
        s.ratio ?? '-',
        s.app.fannedOut,
        s.app.seconds,
        s.app.sinkReached ?? 'never',
        s.app.steadyPerSec,
        s.app.msPerMessage,
        s.app.deliveries.sent ?? 0,
        s.app.sinkDelta,
        s.loadavgBefore.join(' '),
      ]),
    ),
  )
  console.log(
    table(
      ['subscribers', 'worker peak RSS MB (VmHWM)', 'worker CPU s', 'postgres CPU s', 'redis CPU s', 'smtp-sink CPU s', 'web CPU s', 'machine busy', 'not ours CPU s', 'warn log lines', 'raw: senders CPU s', 'raw: redis CPU s', 'raw: smtp-sink CPU s', 'raw: machine busy', 'raw: not ours CPU s', 'raw peak RSS MB'],
      sizes.map((s) => [
        s.subscribers,
        s.app.workers.map((w) => w.peakRssMb).join(', '),
        s.app.cpu.workers ?? '',
        s.app.cpu.postgres ?? '',
        s.app.cpu.redis ?? '',
        s.app.cpu.smtpSink ?? '',
        s.app.cpu.web ?? '',
        s.app.cpu.machineBusyShare ?? '',
        s.app.cpu.foreign ?? '',
        s.app.warnLines,
        s.raw ? `${s.raw.cpu.senders}, ${s.rawAfter?.cpu.senders}` : '-',
        s.raw?.cpu.redis ?? '-',
        s.raw?.cpu.smtpSink ?? '-',
        s.raw ? `${s.raw.cpu.machineBusyShare}, ${s.rawAfter?.cpu.machineBusyShare}` : '-',
        s.raw ? `${s.raw.cpu.foreign}, ${s.rawAfter?.cpu.foreign}` : '-',
        s.raw?.peakRssMb.join(', ') ?? '-',
      ]),
    ),
  )
}

function printPerMessage(sizes: SizeResult[]) {
  for (const s of sizes) {
    const d = s.app.deciles
    const rates = d.map((t, i) => round((s.subscribers / 10) / (t - (i === 0 ? 0 : d[i - 1]!)), 0))
    console.log(`\n${s.subscribers.toLocaleString('en')}: 10%..100% sent at ${d.join(', ')} s after publish; msg/s per tenth: ${rates.join(', ')}`)
    const show = (t: { pid: number; cpuSeconds: number; cmd: string }[]) => t.map((p) => `${p.cpuSeconds} s ${p.cmd.slice(0, 60)}`).join(' | ')
    console.log(`  top CPU during ours: ${show(s.app.topProcesses)}`)
    if (s.raw) console.log(`  top CPU during raw: ${show(s.raw.topProcesses)}`)
    const fmt = (c: Counters) =>
      Object.entries(c)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')
    console.log(`per message at ${s.subscribers.toLocaleString('en')}: postgres ${fmt(s.app.perMessage.postgres)}`)
    console.log(`  redis (server-wide) ${fmt(s.app.perMessage.redis)}`)
  }
}

export function fanoutVerdicts(sizes: SizeResult[]) {
  const out = sizes.map((s) => s.verdict)
  const big = sizes.find((s) => s.subscribers === 100_000) ?? sizes.at(-1)!
  const peak = Math.max(...big.app.workers.map((w) => w.peakRssMb))
  out.push(
    verdict(peak < 256, `peak RSS per worker process at ${big.subscribers.toLocaleString('en')}: ${big.app.workers.map((w) => w.peakRssMb).join(', ')} MB (target < 256 MB)`),
  )
  const sorted = [...sizes].sort((a, b) => a.subscribers - b.subscribers)
  if (sorted.length > 1) {
    // No faster than linear: the time per message does not grow with the list (10% for noise).
    const steps = sorted.slice(1).map((s, i) => ({ from: sorted[i]!, to: s, ok: s.app.msPerMessage <= sorted[i]!.app.msPerMessage * 1.1 }))
    out.push(
      verdict(
        steps.every((s) => s.ok),
        `time per message ${sorted.map((s) => `${s.app.msPerMessage} ms at ${s.subscribers.toLocaleString('en')}`).join(', ')} (target: no growth beyond 10% noise)`,
      ),
    )
  }
  return out
}

function parseList(s: string) {
  return s.split(',').map((x) => Number(x.replace(/[_k]/g, (m) => (m === 'k' ? '000' : ''))))
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: FANOUT_DEFAULTS.sizes.join(',') },
      processes: { type: 'string', default: String(FANOUT_DEFAULTS.processes) },
      concurrency: { type: 'string', default: String(FANOUT_DEFAULTS.concurrency) },
      pool: { type: 'string', default: String(FANOUT_DEFAULTS.pool) },
      'poll-ms': { type: 'string', default: String(FANOUT_DEFAULTS.pollMs) },
      'no-raw': { type: 'boolean', default: false },
      'keep-db': { type: 'boolean', default: false },
      label: { type: 'string', default: FANOUT_DEFAULTS.label },
      'cpu-prof': { type: 'boolean', default: false },
      'wait-for-load': { type: 'string' },
      'worker-node-args': { type: 'string' },
      'worker-entry': { type: 'string' },
    },
  })
  const opts: FanoutOptions = {
    sizes: parseList(values.sizes!),
    processes: Number(values.processes),
    concurrency: Number(values.concurrency),
    pool: Number(values.pool),
    pollMs: Number(values['poll-ms']),
    raw: !values['no-raw'],
    keepDb: values['keep-db']!,
    label: values.label!,
  }
  const runStamp = stamp()
  if (values['worker-entry']) opts.workerEntry = values['worker-entry']
  if (values['worker-node-args']) opts.workerNodeArgs = values['worker-node-args'].split(/\s+/).filter(Boolean)
  if (values['wait-for-load']) opts.waitForLoad = Number(values['wait-for-load'])
  if (values['cpu-prof']) opts.cpuProfDir = `${RESULTS_DIR}fanout-${runStamp}-prof`
  const info = await machine()
  console.log(
    `machine: ${info.nproc} CPUs (${info.cpu}), ${info.memGiB} GiB, node ${info.node}, Postgres ${info.postgres}; ` +
      `started ${info.at}, load average ${info.loadavg.join(' ')}; code: ${info.code}`,
  )
  const { sizes, logFile, samplePath } = await runFanout(opts, runStamp)
  printFanout(sizes, opts)
  printPerMessage(sizes)
  const verdicts = fanoutVerdicts(sizes)
  for (const v of verdicts) console.log(v)
  console.log(`worker log: ${logFile}; message sample: ${samplePath}`)
  const file = saveResult(`fanout-${runStamp}`, { machine: info, finishedAt: new Date().toISOString(), options: opts, sizes, verdicts })
  console.log(`saved ${file}`)
  process.exit(verdicts.every((v) => v.startsWith('PASS')) ? 0 : 1)
}
