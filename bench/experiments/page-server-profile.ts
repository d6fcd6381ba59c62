// Where the app's CPU goes while autocannon loads the campaign page as the page benchmark does:
// the app runs under `node --cpu-prof`, and its profile is summarised by the nearest package or
// app directory (Node internals and native calls charged to their caller), over the measured run.
//
//   node --import tsx bench/experiments/page-server-profile.ts [seconds, 10]
import { mkdtempSync, readdirSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { BROWSER_HEADERS, PAGE_PATH } from '../campaign-page.ts'
import { summarise } from '../cpu-profile-summary.ts'
import { cannon, machine, round, saveResult, stamp, startAppServer, table } from '../lib.ts'
import { prepareBenchDb } from '../seed.ts'

const seconds = Number(process.argv[2] ?? 10)
const warmup = 3
const dir = mkdtempSync(join(os.tmpdir(), 'ua-page-server-'))
await prepareBenchDb()
const startedAt = Date.now()
const app = await startAppServer({}, [], ['--cpu-prof', `--cpu-prof-dir=${dir}`])
const load = { url: app.url + PAGE_PATH, connections: 100, headers: BROWSER_HEADERS }
await cannon('warm-up', { ...load, duration: warmup })
const from = Date.now() - startedAt
const { summary } = await cannon(`GET ${PAGE_PATH}`, { ...load, duration: seconds }, app.pid)
const to = Date.now() - startedAt
await app.stop() // the profile is written when the process exits

// The app's main thread only (tsx's loader thread writes a small profile of its own).
const s = summarise(readProfiles(dir), 1000, from, to)
const share = (ms: number) => round((100 * ms) / s.totalMs, 1)
const ours = s.owners.filter(([k]) => k.startsWith('src/') || k === '@fastify/cookie' || k === '@fastify/accept-negotiator')
const oursMs = ours.reduce((a, [, ms]) => a + ms, 0)
const info = await machine()
console.log(`machine ${info.nproc} CPUs, ${info.at}; code ${info.code}`)
console.log(`${summary.reqPerSec} req/s; server ${summary.cpu?.serverUsPerRequest} µs of CPU per page; profile ${s.totalMs} ms`)
console.log(
  table(
    ['nearest package or app code', 'ms', '% of server CPU'],
    s.owners.slice(0, 20).map(([k, ms]) => [k, round(ms, 0), share(ms)]),
  ),
)
console.log(`our code (src/, the cookie parser, the encoding negotiation): ${share(oursMs)}% of the server's CPU`)
const saved = saveResult(`page-server-profile-${stamp()}`, {
  machine: info,
  seconds,
  load: summary,
  profileMs: s.totalMs,
  oursShare: share(oursMs),
  owners: s.owners.slice(0, 30).map(([k, ms]) => [k, round(ms, 0), share(ms)]),
})
console.log(`saved ${saved}`)
process.exit(0)

function readProfiles(d: string): string[] {
  return readdirSync(d)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(d, f))
}
