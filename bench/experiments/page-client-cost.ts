// What autocannon pays per response, by what the response carries: the bare 'ok', an ASCII body
// as long as the page, the English page's own bytes (four non-ASCII words in it), each with and
// without the page's headers, and the page gzipped. autocannon shares the 2 cores with the
// server, so its cost per response caps any ratio against the bare route.
//
//   node --import tsx bench/experiments/page-client-cost.ts [seconds per run, 5]
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { PAGE_PATH } from '../campaign-page.ts'
import { cannon, freePort, machine, record, saveResult, stamp, startAppServer, table } from '../lib.ts'
import { prepareBenchDb } from '../seed.ts'

const seconds = Number(process.argv[2] ?? 5)
await prepareBenchDb()
const app = await startAppServer()
const page = await record(app.url + PAGE_PATH, {})
await app.stop()
const pageFile = join(os.tmpdir(), 'ua-page-client-cost.html')
writeFileSync(pageFile, page.body)
// The page's own headers, but for the body's type, which every variant sets.
const { 'content-type': _type, ...headers } = page.headers
const headersFile = `${pageFile}.headers.json`
writeFileSync(headersFile, JSON.stringify(headers))

const port = await freePort()
const child = spawn(process.execPath, ['--import', 'tsx', 'bench/experiments/page-client-cost-server.ts'], {
  env: { ...process.env, PORT: String(port), PAGE_FILE: pageFile, HEADERS_FILE: headersFile },
  stdio: 'inherit',
})
for (;;) {
  try {
    await fetch(`http://127.0.0.1:${port}/ok`)
    break
  } catch {
    await new Promise((r) => setTimeout(r, 100))
  }
}
const info = await machine()
const rows: (string | number)[][] = []
for (const path of ['/ok', '/ascii', '/page', '/ascii-h', '/page-h', '/gz', '/gz-h', '/ok']) {
  const url = `http://127.0.0.1:${port}${path}`
  await cannon('warm', { url, connections: 100, duration: 1 })
  const { summary: s } = await cannon(path, { url, connections: 100, duration: seconds }, child.pid)
  const us = (cores: number) => Math.round((cores * 1e6) / s.reqPerSec)
  rows.push([path, s.reqPerSec, s.bytesPerResponse, us(s.cpu!.client), us(s.cpu!.server), s.cpu!.client])
}
child.kill()
console.log(`machine ${info.nproc} CPUs, ${info.at}, load average ${info.loadavg.join(' ')}; code ${info.code}`)
console.log(`page ${page.body.length} bytes, ${seconds} s per run, 100 connections`)
console.log(table(['path', 'req/s', 'bytes/resp', 'client µs/resp', 'server µs/resp', 'client cores'], rows))
console.log(`saved ${saveResult(`page-client-cost-${stamp()}`, { machine: info, seconds, pageBytes: page.body.length, rows })}`)
