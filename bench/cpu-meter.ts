// CPU accounting for the fan-out bench, from /proc: its own processes, the Postgres backends of
// one database, and whatever else ran on the machine meanwhile (others' work skews every number).
import { readdirSync, readFileSync } from 'node:fs'
import os from 'node:os'
import { Redis } from 'ioredis'
import { machineTicks, procTicks, REDIS_URL, round, sleep, waitForQuiet } from './lib.ts'

const CLK_TCK = 100

type Top = { pid: number; cpuSeconds: number; cmd: string }[]

/** CPU ticks and command line of every process now (those that start and end between two calls are missed). */
function allProcessTicks(): Map<number, { ticks: number; cmd: string }> {
  const out = new Map<number, { ticks: number; cmd: string }>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const ticks = procTicks(Number(entry))
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

/**
 * Tracks CPU time of given pids, plus the Postgres backends serving one database (found through
 * pg_stat_activity on each sample; a backend's time is its last value seen).
 */
export class CpuMeter {
  private start = new Map<number, number>()
  private last = new Map<number, number>()
  private pgPids = new Set<number>()
  private machine0 = machineTicks()
  private driver0 = process.cpuUsage()
  private all0 = allProcessTicks()
  constructor(
    private groups: Record<string, number[]>,
    private database = '',
  ) {
    for (const pids of Object.values(groups)) for (const pid of pids) this.start.set(pid, procTicks(pid))
  }
  async sample(client?: { query: (q: string, v: unknown[]) => Promise<{ rows: { pid: number }[] }> }) {
    const rows = client
      ? (await client.query('select pid from pg_stat_activity where datname = $1', [this.database])).rows
      : []
    for (const { pid } of rows) {
      if (!this.pgPids.has(pid)) {
        this.pgPids.add(pid)
        this.start.set(pid, 0) // backends are opened for the run: count their whole life
      }
    }
    for (const pid of [...this.pgPids, ...Object.values(this.groups).flat()]) {
      const t = procTicks(pid)
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
  top(n = 8): Top {
    const now = allProcessTicks()
    return [...now.entries()]
      .map(([pid, p]) => ({
        pid,
        cpuSeconds: round((p.ticks - (this.all0.get(pid)?.ticks ?? 0)) / CLK_TCK, 1),
        cmd: p.cmd,
      }))
      .filter((p) => p.cpuSeconds > 0)
      .sort((a, b) => b.cpuSeconds - a.cpuSeconds)
      .slice(0, n)
  }
}

const OURS = ['senders', 'workers', 'web', 'postgres', 'redis', 'smtpSink', 'driver']

/** Adds `foreign`: CPU the machine spent on anything this benchmark did not start (others' work, Postgres's background processes). */
export function withForeign(cpu: Record<string, number>) {
  return { ...cpu, foreign: round(cpu.machineBusySeconds! - OURS.reduce((sum, k) => sum + (cpu[k] ?? 0), 0), 1) }
}

export function redisPid(): Promise<number> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 })
  return redis
    .connect()
    .then(() => redis.info('server'))
    .then((info) => Number(/process_id:(\d+)/.exec(info)?.[1] ?? NaN))
    .finally(() => redis.disconnect())
}

/**
 * Waits until the machine looks quiet: 1-min load average below `maxLoad`, less than 30% of the
 * CPU busy over the last 3 s, and no other bench/ script running (two at once would skew both).
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
    if ((busy < 0.3 && others.length === 0) || Date.now() > until)
      return { loadavg: round(os.loadavg()[0]!, 2), busy: round(busy, 2), others }
    if (!announced)
      console.log(
        `waiting: CPU ${round(busy * 100, 0)}% busy, other benchmarks running: ${others.join('; ') || 'none'}`,
      )
    announced = true
    await sleep(5000)
  }
}

/** Command lines of bench/ scripts other than this one and its ancestors (a `timeout` or shell that started it). */
function otherBenches(): string[] {
  const mine = new Set([process.pid])
  for (let pid = process.ppid; pid > 1 && !mine.has(pid);) {
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
