// What autocannon spends turning one response body into a string (`req.body += data` in its
// pipelinedRequestsQueue.js), by how the campaign page is encoded: Brotli at quality 5 (the
// bytes its first readers get) and 11 (the bytes it settles on), gzip, and the plain page with
// and without its few non-ASCII characters. Binary bytes take V8's slow UTF-8 path; ASCII the
// fast one. One process, no server load: a microbenchmark, not a target.
//
//   node --import tsx bench/experiments/body-decode-cost.ts [rounds, 200000]
import zlib from 'node:zlib'
import { PAGE_PATH } from '../campaign-page.ts'
import { machine, record, saveResult, stamp, startAppServer, table } from '../lib.ts'
import { prepareBenchDb } from '../seed.ts'

const rounds = Number(process.argv[2] ?? 200_000)
await prepareBenchDb()
const app = await startAppServer()
const html = (await record(app.url + PAGE_PATH, {})).body
await app.stop()

const brotli = (quality: number) =>
  zlib.brotliCompressSync(html, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: quality,
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: html.length,
    },
  })
const bodies: [string, Buffer][] = [
  ['Brotli quality 5', brotli(5)],
  ['Brotli quality 11', brotli(11)],
  ['gzip level 9', zlib.gzipSync(html, { level: 9 })],
  ['plain page', html],
  ['plain page, non-ASCII replaced by ?', Buffer.from(html.toString().replace(/[^\x00-\x7f]/g, '?'))],
]

let sink = 0
const rows = bodies.map(([name, bytes]) => {
  const start = process.hrtime.bigint()
  for (let i = 0; i < rounds; i++) {
    let body = ''
    body += bytes
    sink += body.length
  }
  const us = Number(process.hrtime.bigint() - start) / rounds / 1000
  return { body: name, bytes: bytes.length, usPerResponse: Math.round(us * 100) / 100 }
})
if (sink === 0) throw new Error('nothing decoded')

console.log(table(['body', 'bytes', 'µs to decode, per response'], rows.map((r) => [r.body, r.bytes, r.usPerResponse])))
console.log(`saved ${saveResult(`body-decode-cost-${stamp()}`, { machine: await machine(), rounds, rows })}`)
