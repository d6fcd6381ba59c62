// Target 1: GET /campaigns/<demo slug> against a bare Fastify route returning 'ok', same client,
// same connections, same duration, same run; the bare route runs before and after the page and
// the baseline is the mean of the two. Both servers run as their own processes.
//
//   node --import tsx bench/campaign-page.ts [--connections 100] [--duration 10] [--warmup 3]
//
// Uses the bench database as it is (run bench/seed.ts first to choose empty or 1M signatures).
import { parseArgs } from 'node:util'
import { DEMO_SLUG } from '../src/modules/demo/service.ts'
import { prepareBenchDb } from './seed.ts'
import {
  cannon,
  countRows,
  isMain,
  round,
  saveResult,
  stamp,
  startAppServer,
  startBaselineServer,
  table,
  verdict,
  type LoadSummary,
} from './lib.ts'

export interface PageOptions {
  label: string
  connections: number
  duration: number
  warmup: number
  /** Also load the baseline's page-sized fixed string (informational). */
  pageSized?: boolean
}

export interface PageResult {
  label: string
  signatureRows: number
  pageBytes: number
  /** The bare route's req/s is the mean of its runs before and after the page (the other fields: before). */
  baseline: LoadSummary
  baselineRuns: [LoadSummary, LoadSummary]
  app: LoadSummary
  /** Not a target: bare Fastify sending a fixed string as long as the page (the ceiling for that size). */
  pageSized: LoadSummary | null
  ratio: number
  ratioToPageSized: number | null
  pass: boolean
  verdict: string
}

export const PAGE_DEFAULTS: PageOptions = { label: 'page', connections: 100, duration: 10, warmup: 3 }
export const PAGE_PATH = `/campaigns/${DEMO_SLUG}`

export async function runCampaignPage(opts: PageOptions = PAGE_DEFAULTS): Promise<PageResult> {
  await prepareBenchDb()
  const { signatures: signatureRows } = await countRows()
  const appServer = await startAppServer()
  let baselineServer: Awaited<ReturnType<typeof startBaselineServer>> | undefined
  try {
    // One plain request first: the page must be the real page, not an error.
    const res = await fetch(appServer.url + PAGE_PATH)
    const html = await res.text()
    if (res.status !== 200 || !html.includes('North Korean refugees')) {
      throw new Error(`campaign page answered ${res.status}: ${html.slice(0, 200)}`)
    }
    const pageBytes = Buffer.byteLength(html)
    baselineServer = await startBaselineServer(pageBytes)

    const run = async (name: string, url: string, pid: number) => {
      const base = { url, connections: opts.connections }
      if (opts.warmup > 0) await cannon(`${name} warm-up`, { ...base, duration: opts.warmup })
      const { summary } = await cannon(name, { ...base, duration: opts.duration }, pid)
      return summary
    }
    // The bare route before and after the page: the host's speed drifts between runs, and the
    // mean of the two weighs a drift on both sides alike.
    const before = await run('bare Fastify GET / (before)', baselineServer.url + '/', baselineServer.pid)
    const app = await run(`GET ${PAGE_PATH}`, appServer.url + PAGE_PATH, appServer.pid)
    const after = await run('bare Fastify GET / (after)', baselineServer.url + '/', baselineServer.pid)
    const baseline = { ...before, label: 'bare Fastify GET /, mean of before and after', reqPerSec: round((before.reqPerSec + after.reqPerSec) / 2, 0) }
    const pageSized =
      opts.pageSized === false
        ? null
        : await run(
            `bare Fastify, fixed ${pageBytes}-byte string (not a target)`,
            baselineServer.url + '/page-sized',
            baselineServer.pid,
          )
    const ratio = round(app.reqPerSec / baseline.reqPerSec, 3)
    const pass = ratio >= 0.5 && app.p99 < 50 && app.non2xx === 0 && app.errors === 0
    return {
      label: opts.label,
      signatureRows,
      pageBytes,
      baseline,
      baselineRuns: [before, after],
      app,
      pageSized,
      ratio,
      ratioToPageSized: pageSized ? round(app.reqPerSec / pageSized.reqPerSec, 3) : null,
      pass,
      verdict: verdict(
        pass,
        `campaign page ${app.reqPerSec} req/s = ${round(ratio * 100, 1)}% of bare Fastify (target >= 50%), p99 ${app.p99} ms at ${opts.connections} connections (target < 50 ms)`,
      ),
    }
  } finally {
    await appServer.stop()
    await baselineServer?.stop()
  }
}

export function loadTable(rows: LoadSummary[]): string {
  return table(
    ['run', 'conns', 's', 'requests', 'req/s', 'min..max req/s (1 s)', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'non-2xx', 'errors', 'bytes/resp', 'load avg before'],
    rows.map((r) => [
      r.label,
      r.connections,
      round(r.seconds, 1),
      r.requests,
      r.reqPerSec,
      `${r.minSecond}..${r.maxSecond}`,
      r.p50,
      r.p90,
      r.p99,
      r.max,
      r.non2xx,
      r.errors + r.timeouts,
      r.bytesPerResponse,
      r.loadavgBefore.join(' '),
    ]),
  )
}

/** Where the CPU went during each run, in cores of the machine's nproc. */
export function cpuTable(rows: LoadSummary[]): string {
  return table(
    ['run', 'server process', 'postgres (bench db)', 'load generator', 'other (noise)', 'machine busy', 'server CPU µs/request'],
    rows
      .filter((r) => r.cpu)
      .map((r) => [r.label, r.cpu!.server, r.cpu!.postgres, r.cpu!.client, r.cpu!.other, r.cpu!.machine, r.cpu!.serverUsPerRequest]),
  )
}

export function printPage(r: PageResult) {
  console.log(`\ncampaign page [${r.label}], ${r.signatureRows.toLocaleString('en')} signature rows, page ${r.pageBytes} bytes`)
  const rows = [r.baselineRuns[0], r.app, r.baselineRuns[1], ...(r.pageSized ? [r.pageSized] : [])]
  console.log(loadTable(rows))
  console.log('CPU used during each run, in cores:')
  console.log(cpuTable(rows))
  console.log(
    `ratio campaign page / bare Fastify: ${r.ratio}` +
      (r.ratioToPageSized !== null ? ` (campaign page / page-sized fixed string: ${r.ratioToPageSized})` : ''),
  )
  console.log(r.verdict)
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      connections: { type: 'string', default: String(PAGE_DEFAULTS.connections) },
      duration: { type: 'string', default: String(PAGE_DEFAULTS.duration) },
      warmup: { type: 'string', default: String(PAGE_DEFAULTS.warmup) },
      label: { type: 'string', default: 'page' },
      'no-page-sized': { type: 'boolean', default: false },
    },
  })
  const result = await runCampaignPage({
    label: values.label!,
    connections: Number(values.connections),
    duration: Number(values.duration),
    warmup: Number(values.warmup),
    pageSized: !values['no-page-sized'],
  })
  printPage(result)
  console.log(`saved ${saveResult(`campaign-page-${stamp()}`, result)}`)
  process.exit(result.pass ? 0 : 1)
}
