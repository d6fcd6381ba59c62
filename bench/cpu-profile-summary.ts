// Summarises V8 CPU profiles (node --cpu-prof; bench/fanout.ts --cpu-prof writes the workers'):
// self time by package / app directory, and the top functions by self time.
//
//   node --import tsx bench/cpu-profile-summary.ts <file.cpuprofile | directory> [--top 25] [--min-ms 200]
//        [--from-ms A] [--to-ms B]
//
// --from-ms/--to-ms keep only the samples taken that long after the profile started (about when
// the process started): bench/fanout.ts's JSON has workersSpawnedAt, publishedAt and lastSent, so
// from = publishedAt - workersSpawnedAt and to = from + lastSent * 1000 leave start-up out.
// A directory is read whole; profiles of the main thread only (tsx's loader thread writes its own
// small profile: files whose total is under --min-ms are skipped).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { isMain, round, table } from './lib.ts'

interface Node {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
  children?: number[]
}
interface Profile {
  nodes: Node[]
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

/** Where a frame's code lives: a package name, an app directory, node internals, or V8's own. */
export function bucketOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)'
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (nm) return nm[1]!
  if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?/, 'node:').split('/').slice(0, 2).join('/')
  const app = /\/work\/[^/]+\/(src\/[^/]+(?:\/[^/]+)?|workers|bench)\//.exec(url)
  if (app) return app[1]!
  return path.basename(url)
}

/** Buckets that are not code of their own: time there is charged to the nearest caller that is. */
function isPassThrough(bucket: string): boolean {
  return bucket.startsWith('node:') || bucket === '(native)' || bucket === 'tslib'
}

export function summarise(files: string[], minMs = 200, fromMs = 0, toMs = Infinity) {
  const byBucket = new Map<string, number>()
  /** Self time plus the Node internals and native calls it made (writes, crypto, streams). */
  const byOwner = new Map<string, number>()
  const byFunction = new Map<string, number>()
  let total = 0
  let used = 0
  for (const file of files) {
    const p = JSON.parse(readFileSync(file, 'utf8')) as Profile
    const nodes = new Map(p.nodes.map((n) => [n.id, n]))
    const parent = new Map<number, number>()
    for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
    const ownerOf = (id: number): string => {
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const { url, functionName } = nodes.get(at)!.callFrame
        const b = bucketOf(url, functionName)
        if (!isPassThrough(b) && b !== '(root)') return b
      }
      return bucketOf(nodes.get(id)!.callFrame.url, nodes.get(id)!.callFrame.functionName)
    }
    const self = new Map<number, number>()
    let at = 0 // ms since the profile started
    for (let i = 0; i < p.samples.length; i++) {
      at += (p.timeDeltas[i] ?? 0) / 1000
      const dt = (p.timeDeltas[i + 1] ?? 0) / 1000
      if (at < fromMs || at > toMs) continue
      self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + dt)
    }
    const fileTotal = [...self.values()].reduce((a, b) => a + b, 0)
    if (fileTotal < minMs) continue
    used++
    for (const [id, ms] of self) {
      const n = nodes.get(id)!
      const { functionName, url, lineNumber } = n.callFrame
      if (functionName === '(idle)') continue
      total += ms
      const bucket = bucketOf(url, functionName)
      byBucket.set(bucket, (byBucket.get(bucket) ?? 0) + ms)
      const owner = ownerOf(id)
      byOwner.set(owner, (byOwner.get(owner) ?? 0) + ms)
      const key = `${functionName || '(anonymous)'} ${bucket}:${lineNumber + 1}`
      byFunction.set(key, (byFunction.get(key) ?? 0) + ms)
    }
  }
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1])
  return { files: used, totalMs: round(total, 0), buckets: sorted(byBucket), owners: sorted(byOwner), functions: sorted(byFunction) }
}

if (isMain(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      top: { type: 'string', default: '25' },
      'min-ms': { type: 'string', default: '200' },
      'from-ms': { type: 'string', default: '0' },
      'to-ms': { type: 'string', default: 'Infinity' },
    },
  })
  const files = positionals.flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .filter((f) => f.endsWith('.cpuprofile'))
          .map((f) => path.join(p, f))
      : [p],
  )
  const s = summarise(files, Number(values['min-ms']), Number(values['from-ms']), Number(values['to-ms']))
  const top = Number(values.top)
  const pct = (ms: number) => `${round((100 * ms) / s.totalMs, 1)}%`
  console.log(`${s.files} profile(s), ${s.totalMs} ms of CPU (idle excluded)`)
  console.log(table(['where', 'self ms', 'share'], s.buckets.slice(0, top).map(([k, ms]) => [k, round(ms, 0), pct(ms)])))
  console.log(
    table(
      ['nearest package or app code (Node internals and native calls charged to their caller)', 'ms', 'share'],
      s.owners.slice(0, top).map(([k, ms]) => [k, round(ms, 0), pct(ms)]),
    ),
  )
  console.log(table(['function', 'self ms', 'share'], s.functions.slice(0, top).map(([k, ms]) => [k, round(ms, 0), pct(ms)])))
}
