// Where autocannon's own CPU goes while it loads the campaign page as the page benchmark does
// (100 connections, a browser's Accept-Encoding): a V8 profile of this process, which is the load
// generator, taken over the measured run only. Shows how much of the client's cost per response
// is decoding bodies it never reads (Buffer#toString and the garbage it leaves) and parsing headers.
//
//   node --import tsx bench/experiments/page-client-profile.ts [seconds, 10]
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import os from 'node:os'
import { join } from 'node:path'
import { BROWSER_HEADERS, PAGE_PATH } from '../campaign-page.ts'
import { summarise } from '../cpu-profile-summary.ts'
import { cannon, machine, round, saveResult, stamp, startAppServer, table } from '../lib.ts'
import { prepareBenchDb } from '../seed.ts'

const seconds = Number(process.argv[2] ?? 10)
await prepareBenchDb()
const app = await startAppServer()
const url = app.url + PAGE_PATH
const load = { url, connections: 100, headers: BROWSER_HEADERS }
await cannon('warm-up', { ...load, duration: 3 })

const session = new Session()
session.connect()
await session.post('Profiler.enable')
await session.post('Profiler.start')
const { summary } = await cannon(`GET ${PAGE_PATH}`, { ...load, duration: seconds }, app.pid)
const { profile } = await session.post('Profiler.stop')
session.disconnect()
await app.stop()

const file = join(os.tmpdir(), `ua-page-client-${stamp()}.cpuprofile`)
writeFileSync(file, JSON.stringify(profile))
const s = summarise([file], 0)
const share = (ms: number) => round((100 * ms) / s.totalMs, 1)
const perResponse = (ms: number) => round((ms * 1000) / summary.requests, 1)
const functions = s.functions.slice(0, 15).map(([name, ms]) => [name, round(ms, 0), share(ms), perResponse(ms)])
// Body decoding: what Buffer#toString, utf8 slicing and the garbage collector (the decoded strings
// are its main garbage) spent; header parsing: http-parser-js and its regular expressions.
const sum = (match: (name: string) => boolean) => s.functions.filter(([name]) => match(name)).reduce((a, [, ms]) => a + ms, 0)
const decode = sum((n) => /^(toString node:buffer|utf8Slice|\(garbage collector\))/.test(n))
const headers = sum((n) => /http-parser-js|^RegExp: \^\(\[\^: \\t\]\+\)/.test(n))
const info = await machine()
console.log(`machine ${info.nproc} CPUs, ${info.at}; code ${info.code}`)
console.log(`${summary.reqPerSec} req/s, ${summary.bytesPerResponse} bytes/response; client profile ${s.totalMs} ms of CPU`)
console.log(table(['function (load generator)', 'self ms', '% of client CPU', 'µs per response'], functions))
console.log(
  table(
    ['part', '% of client CPU', 'µs per response'],
    [
      ['decoding bodies: Buffer#toString and GC', share(decode), perResponse(decode)],
      ['parsing headers: http-parser-js', share(headers), perResponse(headers)],
      ['everything', 100, perResponse(s.totalMs)],
    ],
  ),
)
const saved = saveResult(`page-client-profile-${stamp()}`, {
  machine: info,
  seconds,
  load: summary,
  clientCpuMs: s.totalMs,
  decode: { share: share(decode), usPerResponse: perResponse(decode) },
  headers: { share: share(headers), usPerResponse: perResponse(headers) },
  functions,
})
console.log(`saved ${saved}`)
process.exit(0)
