// Shared by the benchmark scripts: the bench database, spawning servers as their own processes,
// running autocannon, printing tables. Benchmarks are scripts, never tests: no timing thresholds
// live in tests/.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { accessSync, constants, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { connect, createServer } from 'node:net'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import autocannon, { type Options, type Result } from 'autocannon'
import pg from 'pg'
import { deleteRedisPrefix } from '../tests/helper.ts'

/** The one place the bench database is named. It is dropped and recreated by bench/seed.ts. */
export const BENCH_DB_NAME = 'ua_bench'
/** Server part of the Postgres URL (no database); override with BENCH_PG_URL. */
export const PG_SERVER_URL = (process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '')
export const BENCH_DATABASE_URL = `${PG_SERVER_URL}/${BENCH_DB_NAME}`
export const PG_ADMIN_URL = `${PG_SERVER_URL}/postgres`
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
/** BullMQ and rate-limit keys of the bench servers; deleted by cleanupBenchState(). */
export const BENCH_QUEUE_PREFIX = 'uabench'
/** Where a bench server with workers writes its emails (SMTP_URL unset); deleted afterwards. */
export const BENCH_OUTBOX_DIR = join(os.tmpdir(), 'ua-bench-outbox')
/** The web process's pool size: createDb's default (src/db/index.ts). */
export const APP_POOL_SIZE = 10

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url))

/** True when the module is the script node was asked to run. */
export function isMain(importMetaUrl: string): boolean {
  return process.argv[1] !== undefined && importMetaUrl === pathToFileURL(process.argv[1]).href
}

// ---------------------------------------------------------------- processes

const children = new Set<ChildProcess>()
process.on('exit', () => {
  for (const c of children) c.kill('SIGTERM')
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const c of children) c.kill('SIGTERM')
    process.exit(130)
  })
}

/** Stops `child` with the bench when it exits; resolves with the child's exit code. */
export function track(child: ChildProcess): Promise<number | null> {
  children.add(child)
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      children.delete(child)
      resolve(code)
    }),
  )
}

/** SIGTERM, then SIGKILL after `graceMs`. */
export async function stopChild(child: ChildProcess, exit: Promise<unknown>, graceMs = 20_000) {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exit
  clearTimeout(timer)
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

export interface Server {
  name: string
  url: string
  pid: number
  stop(): Promise<void>
}

/** 40 characters; NODE_ENV=production requires a SECRET_KEY. */
export const BENCH_SECRET_KEY = 'bench-only-secret-key-0123456789abcdefgh'

/**
 * `node --import tsx src/server.ts` (the web role, no workers) on a free port against the bench
 * database, in production mode: view cache on, request logging off (LOG_LEVEL=warn), the
 * per-IP rate limit raised out of the way.
 */
export async function startAppServer(
  extraEnv: Record<string, string> = {},
  args: string[] = [],
  nodeArgs: string[] = [],
): Promise<Server> {
  const port = await freePort()
  return spawnServer('app', [...nodeArgs, '--import', 'tsx', 'src/server.ts', ...args], port, '/healthz', {
    NODE_ENV: 'production',
    SECRET_KEY: BENCH_SECRET_KEY,
    LOG_LEVEL: 'warn',
    VIEW_CACHE: 'true',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: BENCH_DATABASE_URL,
    REDIS_URL,
    QUEUE_PREFIX: BENCH_QUEUE_PREFIX,
    OUTBOX_DIR: BENCH_OUTBOX_DIR,
    // All load comes from one address: the limiter still runs (a Redis call per limited request)
    // but must not answer 429 to the load generator.
    RATE_LIMIT_PER_MINUTE: '1000000',
    // Nor the bound on open connections per client: 100 load connections come from one address.
    MAX_CONNECTIONS_PER_CLIENT: '100000',
    // Nor the signing budget per network (past it, signatures would be held for review).
    SIGN_CHALLENGE_AFTER: '1000000',
    ...extraEnv,
  })
}

/** A response as it came over the wire: what bench/baseline-server.ts can answer again. */
export interface Recorded {
  headers: Record<string, string>
  body: Buffer
}

/** bench/baseline-server.ts: a bare Fastify() answering 'ok' on GET / (and `recorded` on GET /replay). */
export async function startBaselineServer(recorded?: Recorded): Promise<Server> {
  const port = await freePort()
  let replayFile = ''
  if (recorded) {
    replayFile = join(os.tmpdir(), `ua-bench-replay-${port}.json`)
    writeFileSync(replayFile, JSON.stringify({ headers: recorded.headers, body: recorded.body.toString('base64') }))
  }
  return spawnServer('baseline', ['--import', 'tsx', 'bench/baseline-server.ts'], port, '/', {
    PORT: String(port),
    NODE_ENV: 'production',
    REPLAY_FILE: replayFile,
  })
}

/** GET url with these request headers; the status, headers and body bytes exactly as sent (no decoding). */
export function record(url: string, headers: Record<string, string>): Promise<Recorded & { status: number }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const kept: Record<string, string> = {}
          // What Node's HTTP server writes by itself is left to the replaying server.
          for (const [k, v] of Object.entries(res.headers)) {
            if (!['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(k))
              kept[k] = String(v)
          }
          resolve({ status: res.statusCode ?? 0, headers: kept, body: Buffer.concat(chunks) })
        })
        res.on('error', reject)
      })
      .on('error', reject)
  })
}

async function spawnServer(
  name: string,
  args: string[],
  port: number,
  readyPath: string,
  env: Record<string, string>,
): Promise<Server> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  let exited = false
  const exit = track(child).then(() => {
    exited = true
  })
  const url = `http://127.0.0.1:${port}`
  const until = Date.now() + 60_000
  for (;;) {
    if (exited) throw new Error(`${name} server exited before it was ready`)
    try {
      const res = await fetch(url + readyPath)
      await res.arrayBuffer()
      if (res.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      child.kill('SIGKILL')
      throw new Error(`${name} server not ready after 60 s`)
    }
    await sleep(100)
  }
  return {
    name,
    url,
    pid: child.pid!,
    stop: () => stopChild(child, exit),
  }
}

/** Deletes the bench servers' Redis keys (queues, rate-limit counters) and written emails. */
export async function cleanupBenchState(): Promise<void> {
  rmSync(BENCH_OUTBOX_DIR, { recursive: true, force: true })
  await deleteRedisPrefix(REDIS_URL, BENCH_QUEUE_PREFIX)
}

/** Runs another bench script as its own process; resolves with its stdout. */
export function runScript(script: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    track(child).then((code) => {
      if (code === 0) resolve(out)
      else reject(new Error(`${script} exited with ${code}`))
    }, reject)
  })
}

/**
 * Waits until the 1-minute load average is below `max` (other work on the machine skews every
 * number), for at most `timeoutS`; returns the load average it started at.
 */
export async function waitForQuiet(max: number, timeoutS = 600): Promise<number> {
  const until = Date.now() + timeoutS * 1000
  let announced = false
  while (os.loadavg()[0]! >= max && Date.now() < until) {
    if (!announced)
      console.log(`waiting for the 1-min load average (${round(os.loadavg()[0]!, 2)}) to drop below ${max}...`)
    announced = true
    await sleep(5000)
  }
  return round(os.loadavg()[0]!, 2)
}

export function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

// ---------------------------------------------------------------- load

export interface LoadSummary {
  label: string
  connections: number
  seconds: number
  requests: number
  /** Completed requests (any status) per second over the whole run. */
  reqPerSec: number
  /** Lowest and highest 1-second sample. */
  minSecond: number
  maxSecond: number
  p50: number
  p90: number
  p99: number
  max: number
  non2xx: number
  errors: number
  timeouts: number
  statusCodes: Record<string, number>
  bytesPerResponse: number
  loadavgBefore: number[]
  /** CPU used during the run, in cores (1 = one core busy all the time); see cpuSnapshot. */
  cpu: CpuUse | null
}

// ---------------------------------------------------------------- CPU accounting (Linux /proc)

const TICKS = 100 // getconf CLK_TCK on Linux

export interface CpuUse {
  /** The server under load (its Node process). */
  server: number
  /** The Postgres backends connected to the bench database (not WAL writer, checkpointer, other DBs). */
  postgres: number
  /** This process and the children it has reaped: the load generator (autocannon, or wrk). */
  client: number
  /** The whole machine (of nproc cores), everything included. */
  machine: number
  /** Machine minus the three above: other work on the machine (noise). */
  other: number
  /** Server CPU per completed request, microseconds. */
  serverUsPerRequest: number
}

interface CpuSnapshot {
  at: number
  server: number
  postgres: Map<number, number>
  client: number
  machineBusy: number
}

function stat(pid: number | 'self'): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // comm may contain spaces: fields after the closing parenthesis
    const close = text.lastIndexOf(')')
    return [text.slice(text.indexOf('(') + 1, close), ...text.slice(close + 2).split(' ')]
  } catch {
    return undefined
  }
}

/** utime + stime of a process, in ticks (fields 14 and 15 of /proc/pid/stat); NaN once it is gone. */
export function procTicks(pid: number | 'self'): number {
  const f = stat(pid)
  return f ? Number(f[12]) + Number(f[13]) : NaN
}

/** This process and its children that have exited (wrk, run to completion), in ticks. */
function clientTicks(): number {
  const f = stat('self')
  return f ? Number(f[12]) + Number(f[13]) + Number(f[14]) + Number(f[15]) : 0
}

/** Ticks of each backend serving the bench database (its process title names the database). */
function postgresTicks(): Map<number, number> {
  const ticks = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const pid = Number(entry)
    const f = stat(pid)
    if (!f || f[0] !== 'postgres') continue
    let title = ''
    try {
      title = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    } catch {
      continue
    }
    if (title.includes(` ${BENCH_DB_NAME} `)) ticks.set(pid, Number(f[12]) + Number(f[13]))
  }
  return ticks
}

/** Whole-machine busy and total ticks from /proc/stat (busy: all but idle and iowait). */
export function machineTicks(): { busy: number; total: number } {
  const [, ...n] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number)
  // user nice system idle iowait irq softirq steal (guest time is already in user)
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0)
  return { busy: total - n[3]! - n[4]!, total }
}

export function cpuSnapshot(serverPid: number): CpuSnapshot | null {
  try {
    return {
      at: performance.now(),
      server: procTicks(serverPid) || 0,
      postgres: postgresTicks(),
      client: clientTicks(),
      machineBusy: machineTicks().busy,
    }
  } catch {
    return null // not Linux
  }
}

export function cpuUse(a: CpuSnapshot | null, b: CpuSnapshot | null, requests: number): CpuUse | null {
  if (!a || !b) return null
  const s = (b.at - a.at) / 1000
  const cores = (ticks: number) => round(ticks / TICKS / s, 2)
  const server = cores(b.server - a.server)
  let pgTicks = 0
  for (const [pid, t] of b.postgres) pgTicks += t - (a.postgres.get(pid) ?? 0)
  const postgres = cores(pgTicks)
  const client = cores(b.client - a.client)
  const machine = cores(b.machineBusy - a.machineBusy)
  return {
    server,
    postgres,
    client,
    machine,
    other: round(Math.max(0, machine - server - postgres - client), 2),
    serverUsPerRequest: requests ? Math.round(((b.server - a.server) / TICKS / requests) * 1e6) : 0,
  }
}

/** One autocannon run; with serverPid, also the CPU each side used meanwhile. */
export async function cannon(
  label: string,
  opts: Options,
  serverPid?: number,
): Promise<{ summary: LoadSummary; raw: Result }> {
  const loadavgBefore = os.loadavg().map((n) => round(n, 2))
  const before = serverPid ? cpuSnapshot(serverPid) : null
  const raw = await autocannon(opts)
  const after = serverPid ? cpuSnapshot(serverPid) : null
  const completed = raw.latency.totalCount
  const statusCodes = Object.fromEntries(Object.entries(raw.statusCodeStats).map(([k, v]) => [k, v.count]))
  const summary: LoadSummary = {
    label,
    connections: opts.connections ?? 10,
    seconds: raw.duration,
    requests: completed,
    reqPerSec: round(completed / raw.duration, 0),
    minSecond: raw.requests.min,
    maxSecond: raw.requests.max,
    p50: raw.latency.p50,
    p90: raw.latency.p90,
    p99: raw.latency.p99,
    max: raw.latency.max,
    non2xx: raw.non2xx,
    errors: raw.errors,
    timeouts: raw.timeouts,
    statusCodes,
    bytesPerResponse: completed ? Math.round(raw.throughput.total / completed) : 0,
    loadavgBefore,
    cpu: cpuUse(before, after, completed),
  }
  return { summary, raw }
}

/** Options of one wrk run (Debian's wrk: one C thread, so the load generator costs little per response). */
export interface WrkOptions {
  url: string
  connections: number
  duration: number
  headers?: Record<string, string>
}

/**
 * One `wrk -t1 --latency` run, summarised like cannon()'s. wrk reports no per-second samples
 * (minSecond and maxSecond are 0) and its latency distribution has no p90 but p75 and p99; p90
 * is left 0. Needs wrk on PATH (`apt-get install wrk`).
 */
export async function wrk(label: string, opts: WrkOptions, serverPid?: number): Promise<LoadSummary> {
  const loadavgBefore = os.loadavg().map((n) => round(n, 2))
  const args = ['-t1', `-c${opts.connections}`, `-d${opts.duration}s`, '--latency']
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push('-H', `${k}: ${v}`)
  args.push(opts.url)
  const before = serverPid ? cpuSnapshot(serverPid) : null
  const out = await new Promise<string>((resolve, reject) =>
    execFile('wrk', args, (err, stdout) => (err ? reject(new Error(err.message)) : resolve(stdout))),
  )
  const after = serverPid ? cpuSnapshot(serverPid) : null
  const done = /(\d+) requests in ([\d.]+)(m?s|m)\b, ([\d.]+)([KMG]?B) read/.exec(out)
  if (!done) throw new Error(`wrk printed no total:\n${out}`)
  const requests = Number(done[1])
  const seconds = Number(done[2]) * (done[3] === 'ms' ? 0.001 : done[3] === 'm' ? 60 : 1)
  const bytes = Number(done[4]) * { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[done[5] as 'B']
  const ms = (pct: string) => {
    const m = new RegExp(`^\\s+${pct}%\\s+([\\d.]+)(us|ms|s)$`, 'm').exec(out)
    return m ? round(Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2] as 'ms'], 2) : 0
  }
  const max = /Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s)/.exec(out)
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0)
  return {
    label,
    connections: opts.connections,
    seconds,
    requests,
    reqPerSec: round(requests / seconds, 0),
    minSecond: 0,
    maxSecond: 0,
    p50: ms('50'),
    p90: 0,
    p99: ms('99'),
    max: max ? round(Number(max[1]) * { us: 0.001, ms: 1, s: 1000 }[max[2] as 'ms'], 2) : 0,
    non2xx,
    errors: errors ? Number(errors[1]) + Number(errors[2]) + Number(errors[3]) : 0,
    timeouts: errors ? Number(errors[4]) : 0,
    statusCodes: {},
    bytesPerResponse: requests ? Math.round(bytes / requests) : 0,
    loadavgBefore,
    cpu: cpuUse(before, after, requests),
  }
}

// ---------------------------------------------------------------- database

export async function withPg<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

export async function countRows(): Promise<{ signatures: number; outbox: number }> {
  return withPg(BENCH_DATABASE_URL, async (c) => {
    const { rows } = await c.query<{ s: string; o: string }>(
      'select (select count(*) from signatures) as s, (select count(*) from outbox) as o',
    )
    return { signatures: Number(rows[0]!.s), outbox: Number(rows[0]!.o) }
  })
}

// ---------------------------------------------------------------- output

export function round(n: number, digits = 1): number {
  const f = 10 ** digits
  return Math.round(n * f) / f
}

export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))]
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)))
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
  return [line(cells[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join(
    '\n',
  )
}

export function verdict(pass: boolean, text: string): string {
  return `${pass ? 'PASS' : 'FAIL'}: ${text}`
}

export interface Machine {
  at: string
  /** Which code was measured: BENCH_CODE_LABEL, else git HEAD and the count of uncommitted paths. */
  code: string
  nproc: number
  cpu: string
  memGiB: number
  node: string
  postgres: string
  loadavg: number[]
}

export async function machine(): Promise<Machine> {
  const postgres = await withPg(PG_ADMIN_URL, async (c) => {
    const { rows } = await c.query<{ v: string }>("select current_setting('server_version') as v")
    return rows[0]!.v
  })
  return {
    at: new Date().toISOString(),
    code: process.env.BENCH_CODE_LABEL ?? gitLabel(),
    nproc: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    postgres,
    loadavg: os.loadavg().map((n) => round(n, 2)),
  }
}

function gitLabel(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' }).trim()
    const dirty = git('status', '--porcelain').split('\n').filter(Boolean).length
    return `git ${git('rev-parse', '--short', 'HEAD')}${dirty ? ` + ${dirty} uncommitted paths` : ''}`
  } catch {
    return 'unknown (no git)'
  }
}

/** Writes bench/results/<name>.json and returns its path. */
export function saveResult(name: string, data: unknown): string {
  mkdirSync(RESULTS_DIR, { recursive: true })
  const file = `${RESULTS_DIR}${name}.json`
  writeFileSync(file, JSON.stringify(data, null, 2) + '\n')
  return file
}

export function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)
}

// ---------------------------------------------------------------- preflight

/** What a bench script needs from the machine: a program it runs, or a service it connects to. */
export type Need = { program: string; install: string } | { service: string; url: string; install: string }

export const POSTGRES: Need = {
  service: 'Postgres',
  url: PG_SERVER_URL,
  install: 'apt-get install -y postgresql && service postgresql start (or set BENCH_PG_URL)',
}
export const WRK: Need = { program: 'wrk', install: 'apt-get install -y wrk' }
export const REDIS: Need = {
  service: 'Redis',
  url: REDIS_URL,
  install: 'apt-get install -y redis-server && service redis-server start (or set REDIS_URL)',
}

function onPath(program: string): boolean {
  const candidates = program.includes('/')
    ? [program]
    : (process.env.PATH ?? '').split(':').map((dir) => join(dir || '.', program))
  return candidates.some((file) => {
    try {
      accessSync(file, constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url)
  const defaultPort = url.startsWith('redis') ? 6379 : 5432
  return new Promise((resolve) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port) || defaultPort })
    socket.setTimeout(2000)
    socket.once('connect', () => (socket.destroy(), resolve(true)))
    socket.once('timeout', () => (socket.destroy(), resolve(false)))
    socket.once('error', () => resolve(false))
  })
}

/**
 * Checks everything a script needs before it starts anything, and exits 1 with one line per
 * missing piece and the command that installs it (not a bare `spawn ... ENOENT` minutes in).
 */
export async function preflight(script: string, needs: Need[]): Promise<void> {
  const missing: string[] = []
  for (const need of needs) {
    if ('program' in need) {
      if (!onPath(need.program)) missing.push(`${need.program} not found; install it with: ${need.install}`)
    } else if (!(await reachable(need.url))) {
      missing.push(`${need.service} is not reachable at ${need.url.replace(/\/\/[^@/]*@/, '//')}; ${need.install}`)
    }
  }
  if (!missing.length) return
  for (const line of missing) console.error(`${script}: ${line}`)
  process.exit(1)
}
