// Subscriber import (issue 17, point 5): `npm run cli -- subscribers:import FILE` over generated
// CSVs of 100,000 and 1,000,000 distinct addresses, each into a fresh database, timed, with the
// CLI process's peak RSS read from /proc (VmHWM) as it runs. Memory is constant if the peak at
// 1,000,000 rows is within 20% (and 16 MB) of the peak at 100,000. docs/benchmarks.md.
//
//   node --import tsx bench/import.ts [--sizes 100000,1000000] [--keep-files]
import { spawn } from 'node:child_process'
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import { parseArgs } from 'node:util'
import {
  BENCH_SECRET_KEY,
  isMain,
  machine,
  PG_ADMIN_URL,
  PG_SERVER_URL,
  POSTGRES,
  preflight,
  ROOT,
  round,
  saveResult,
  stamp,
  table,
  track,
  verdict,
  withPg,
} from './lib.ts'

const DB_NAME = 'ua_bench_import'
const DB_URL = `${PG_SERVER_URL}/${DB_NAME}`
/** One row in this many is not an address, so the summary's invalid path is measured too. */
const INVALID_EVERY = 10_000

interface SizeResult {
  rows: number
  fileMB: number
  seconds: number
  rowsPerSecond: number
  peakRssMB: number
  /** RSS at a quarter, half, three quarters of the run and at its end: flat if memory is constant. */
  rssMB: number[]
  summary: string[]
  stored: { subscribers: number; confirmations: number }
}

async function writeCsv(path: string, rows: number) {
  const out = createWriteStream(path)
  const locales = ['en', 'ko', 'zh']
  out.write('email,locale\r\n')
  for (let i = 1; i <= rows; i++) {
    const line =
      i % INVALID_EVERY === 0 ? `not-an-address-${i},en` : `supporter${i}@d${i % 997}.example.org,${locales[i % 3]}`
    if (!out.write(`${line}\r\n`)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
}

function cli(args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: DB_URL, SECRET_KEY: BENCH_SECRET_KEY, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
}

/** VmHWM (peak RSS) and VmRSS of a process, in MB; undefined once it is gone. */
function memoryOf(pid: number): { peak: number; rss: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0)
    return { peak: kb('VmHWM') / 1024, rss: kb('VmRSS') / 1024 }
  } catch {
    return undefined
  }
}

async function importSize(dir: string, rows: number): Promise<SizeResult> {
  await withPg(PG_ADMIN_URL, async (c) => {
    await c.query(`drop database if exists "${DB_NAME}" with (force)`)
    await c.query(`create database "${DB_NAME}"`)
  })
  const migrate = cli(['migrate'])
  if ((await track(migrate)) !== 0) throw new Error('migrate failed')
  const file = join(dir, `import-${rows}.csv`)
  await writeCsv(file, rows)
  console.log(
    `\n--- ${rows.toLocaleString('en')} rows (${round(statSync(file).size / 2 ** 20)} MB): subscribers:import`,
  )

  const started = performance.now()
  const child = cli(['subscribers:import', file])
  const exit = track(child)
  let stdout = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  const samples: { at: number; rss: number }[] = []
  let peak = 0
  const timer = setInterval(() => {
    const m = memoryOf(child.pid!)
    if (!m) return
    peak = Math.max(peak, m.peak)
    samples.push({ at: performance.now() - started, rss: m.rss })
  }, 200)
  const code = await exit
  clearInterval(timer)
  const seconds = (performance.now() - started) / 1000
  if (code !== 0) throw new Error(`subscribers:import exited ${code}`)
  const at = (f: number) => samples.find((s) => s.at >= f * seconds * 1000)?.rss ?? samples.at(-1)?.rss ?? 0
  const stored = await withPg(DB_URL, async (c) => {
    const { rows: r } = await c.query<{ s: string; o: string }>(
      `select (select count(*) from subscribers where status = 'pending') as s,
              (select count(*) from outbox where kind = 'subscriber.confirm') as o`,
    )
    return { subscribers: Number(r[0]!.s), confirmations: Number(r[0]!.o) }
  })
  const summary = stdout
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('  line'))
  console.log(summary.join('\n'))
  return {
    rows,
    fileMB: round(statSync(file).size / 2 ** 20),
    seconds: round(seconds),
    rowsPerSecond: Math.round(rows / seconds),
    peakRssMB: round(peak),
    rssMB: [0.25, 0.5, 0.75, 1].map((f) => round(at(f))),
    summary,
    stored,
  }
}

export async function runImportBench(sizes: number[], keepFiles: boolean) {
  await preflight('bench/import.ts', [POSTGRES])
  const host = await machine()
  const dir = mkdtempSync(join(os.tmpdir(), 'ua-bench-import-'))
  const results: SizeResult[] = []
  try {
    for (const n of sizes) results.push(await importSize(dir, n))
  } finally {
    if (!keepFiles) rmSync(dir, { recursive: true, force: true })
    await withPg(PG_ADMIN_URL, (c) => c.query(`drop database if exists "${DB_NAME}" with (force)`))
  }
  console.log(
    '\n' +
      table(
        ['rows', 'file MB', 'seconds', 'rows/s', 'peak RSS MB', 'RSS at 25/50/75/100% MB', 'pending / confirmations'],
        results.map((r) => [
          r.rows.toLocaleString('en'),
          r.fileMB,
          r.seconds,
          r.rowsPerSecond.toLocaleString('en'),
          r.peakRssMB,
          r.rssMB.join(' / '),
          `${r.stored.subscribers.toLocaleString('en')} / ${r.stored.confirmations.toLocaleString('en')}`,
        ]),
      ),
  )
  const small = results[0]!
  const large = results.at(-1)!
  const constant = large.peakRssMB <= small.peakRssMB * 1.2 + 16
  const expected = (r: SizeResult) => r.rows - Math.floor(r.rows / INVALID_EVERY)
  const complete = results.every((r) => r.stored.subscribers === expected(r) && r.stored.confirmations === expected(r))
  console.log(
    verdict(
      constant,
      `memory constant: peak RSS ${large.peakRssMB} MB at ${large.rows.toLocaleString('en')} rows vs ${small.peakRssMB} MB at ${small.rows.toLocaleString('en')}`,
    ),
  )
  console.log(verdict(complete, 'every valid row stored pending with one confirmation queued'))
  const file = saveResult(`import-${stamp()}`, { machine: host, sizes: results, constant, complete })
  console.log(`saved ${file}`)
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '100000,1000000' },
      'keep-files': { type: 'boolean', default: false },
    },
  })
  const sizes = values.sizes.split(',').map(Number)
  if (sizes.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error('--sizes takes whole numbers, e.g. 100000,1000000')
  await runImportBench(sizes, values['keep-files'])
}
