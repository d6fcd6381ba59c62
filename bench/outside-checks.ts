// The penetration test's outside checks, re-run against a real server (the web role in production
// mode, on the bench database): fuzzed POSTs to nineteen endpoints (the answer is never a 5xx),
// sqlmap at level 2 on ten endpoints (nothing injectable), and enumeration timing (a repeat
// signature or subscription takes as long as a first one, so the clock does not say who signed).
//
//   node --import tsx bench/outside-checks.ts [--fuzz 5700] [--timed 2000] [--no-sqlmap] [--save]
//
// sqlmap comes from Debian: apt-get install -y sqlmap (without it that part is reported as not run).
import { execFile, execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createDb } from '../src/db/index.ts'
import { DEMO_SLUG } from '../src/modules/demo/service.ts'
import { organizerAuth } from '../tests/helper.ts'
import {
  BENCH_DATABASE_URL,
  cleanupBenchState,
  isMain,
  machine,
  round,
  saveResult,
  sleep,
  stamp,
  startAppServer,
  table,
  verdict,
  type Server,
  preflight,
  POSTGRES,
  REDIS,
} from './lib.ts'
import { prepareBenchDb } from './seed.ts'

// ---------------------------------------------------------------- fuzzing

/** A small seeded PRNG (mulberry32), so that a run can be repeated exactly. */
function prng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!
  return { next, int, pick }
}
type Rng = ReturnType<typeof prng>

const hostileStrings = [
  "' OR '1'='1",
  "1'; DROP TABLE signatures; --",
  '" OR ""="',
  '1) UNION SELECT NULL,NULL--',
  "'; SELECT pg_sleep(5); --",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '{{7*7}}<%= 7*7 %>${7*7}',
  '../../../../etc/passwd',
  'a\u0000b',
  'a\ud800b',
  '\u202eevil',
  '🙂'.repeat(300),
  'x'.repeat(20_000),
  '',
  ' ',
  '%00',
  '%ZZ',
  'null',
  '-1',
  '99999999999999999999999',
  '1e309',
  '275760-09-13',
  'KR',
  'zz',
  'a@b',
  'victim+1@corp.example',
  'ａｄｍｉｎ@example.org',
]

function hostileValue(rng: Rng, depth = 0): unknown {
  switch (rng.int(9)) {
    case 0:
      return rng.int(2) === 0
    case 1:
      return rng.pick([0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308])
    case 2:
      return null
    case 3:
      return depth < 3 ? [hostileValue(rng, depth + 1), hostileValue(rng, depth + 1)] : []
    case 4:
      return depth < 3 ? { [rng.pick(['__proto__', 'constructor', 'a', '$where'])]: hostileValue(rng, depth + 1) } : {}
    default:
      return rng.pick(hostileStrings)
  }
}

interface Endpoint {
  name: string
  path: string
  kind: 'json' | 'form'
  fields: Record<string, unknown>
  auth?: boolean
}

function fuzzBody(rng: Rng, e: Endpoint): { body: string | Uint8Array<ArrayBuffer>; type: string } {
  const roll = rng.int(20)
  if (roll === 0) return { body: new Uint8Array(2 * 1024 * 1024).fill(0x61), type: 'application/json' } // over the limit
  if (roll === 1) return { body: '{"name": "unterminated', type: 'application/json' }
  if (roll === 2)
    return {
      body: new Uint8Array([0xff, 0xfe, 0x00, 0xc0, 0xaf]),
      type: rng.pick(['application/json', 'application/x-www-form-urlencoded']),
    }
  if (roll === 3)
    return { body: 'x=1', type: rng.pick(['text/plain', 'application/xml', 'multipart/form-data; boundary=x']) }
  if (roll === 4)
    return { body: '', type: e.kind === 'json' ? 'application/json' : 'application/x-www-form-urlencoded' }
  const fields: Record<string, unknown> = { ...e.fields }
  for (const key of Object.keys(fields)) if (rng.next() < 0.4) fields[key] = hostileValue(rng)
  if (rng.next() < 0.3) fields[rng.pick(['extra', '__proto__', 'status', 'confirmed', 'id'])] = hostileValue(rng)
  if (e.kind === 'json') return { body: JSON.stringify(fields), type: 'application/json' }
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) {
    const values = Array.isArray(v) ? v : [v]
    for (const item of values) params.append(k, typeof item === 'string' ? item : JSON.stringify(item))
    if (rng.next() < 0.1) params.append(k, rng.pick(hostileStrings)) // a repeated key
  }
  let body = params.toString()
  if (rng.next() < 0.1) body += '&%ZZ=%E0%A4%A'
  return { body, type: 'application/x-www-form-urlencoded' }
}

interface FuzzResult {
  requests: number
  byStatus: Record<string, number>
  serverErrors: { endpoint: string; status: number; body: string }[]
  /** Oversized bodies whose connection the server closed after its 413, before the client could read it. */
  closedOnOversize: number
  healthyAfter: boolean
  perEndpoint: { name: string; requests: number; statuses: string }[]
}

async function fuzz(server: Server, endpoints: Endpoint[], total: number, auth: string): Promise<FuzzResult> {
  const rng = prng(19)
  const jobs = Array.from({ length: total }, (_, i) => endpoints[i % endpoints.length]!)
  const byStatus: Record<string, number> = {}
  const perEndpoint = new Map<string, Record<string, number>>()
  const serverErrors: FuzzResult['serverErrors'] = []
  let closedOnOversize = 0
  let next = 0
  const worker = async () => {
    while (next < jobs.length) {
      const e = jobs[next++]!
      const { body, type } = fuzzBody(rng, e)
      const path = e.path.replace(
        '{token}',
        rng.pick(['x', 'a'.repeat(22) + '.' + 'b'.repeat(22), '%00', '..%2F', '*']),
      )
      let status = 0
      let text = ''
      try {
        const res = await fetch(server.url + path, {
          method: 'POST',
          headers: { 'content-type': type, ...(e.auth ? { authorization: auth } : {}) },
          body,
        })
        status = res.status
        text = await res.text()
      } catch (err) {
        // The server may answer 413 and close while a 2 MB body is still being written: the
        // client then sees a reset, not the answer. Anything else would be a finding.
        if (typeof body !== 'string' && body.length > 1024 * 1024) {
          closedOnOversize++
          continue
        }
        text = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message
      }
      byStatus[String(status)] = (byStatus[String(status)] ?? 0) + 1
      const mine = perEndpoint.get(e.name) ?? {}
      mine[String(status)] = (mine[String(status)] ?? 0) + 1
      perEndpoint.set(e.name, mine)
      if (status >= 500 || status === 0) serverErrors.push({ endpoint: e.name, status, body: text.slice(0, 200) })
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker))
  const health = await fetch(`${server.url}/healthz`)
  await health.arrayBuffer()
  return {
    requests: total,
    byStatus,
    serverErrors,
    closedOnOversize,
    healthyAfter: health.ok,
    perEndpoint: [...perEndpoint].map(([name, statuses]) => ({
      name,
      requests: Object.values(statuses).reduce((a, b) => a + b, 0),
      statuses: Object.entries(statuses)
        .sort()
        .map(([s, n]) => `${s}: ${n}`)
        .join(', '),
    })),
  }
}

// ---------------------------------------------------------------- enumeration timing

interface TimingGroup {
  n: number
  medianMs: number
  p90Ms: number
}
interface TimingResult {
  route: string
  first: TimingGroup
  repeat: TimingGroup
  /** Two-sided p-value of the Mann-Whitney U test: small means the two can be told apart. */
  p: number
  differenceMs: number
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
const group = (ms: number[]): TimingGroup => {
  const sorted = [...ms].sort((a, b) => a - b)
  return { n: ms.length, medianMs: round(quantile(sorted, 0.5), 2), p90Ms: round(quantile(sorted, 0.9), 2) }
}

/** Mann-Whitney U, normal approximation with tie correction; the two-sided p-value. */
export function mannWhitneyP(a: number[], b: number[]): number {
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v)
  const ranks = new Array<number>(all.length)
  let tieTerm = 0
  for (let i = 0; i < all.length;) {
    let j = i
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++
    const rank = (i + j + 2) / 2
    for (let k = i; k <= j; k++) ranks[k] = rank
    const t = j - i + 1
    tieTerm += t ** 3 - t
    i = j + 1
  }
  const n1 = a.length
  const n2 = b.length
  const r1 = all.reduce((sum, x, i) => (x.g === 0 ? sum + ranks[i]! : sum), 0)
  const u = r1 - (n1 * (n1 + 1)) / 2
  const n = n1 + n2
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))))
  const z = (Math.abs(u - (n1 * n2) / 2) - 0.5) / sigma
  return round(Math.min(1, 2 * (1 - normalCdf(z))), 4)
}

function normalCdf(z: number): number {
  // Abramowitz and Stegun 7.1.26, enough for a p-value to two digits.
  const t = 1 / (1 + 0.3275911 * (z / Math.SQRT2))
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496735) * t + 0.254829592) *
      t *
      Math.exp(-((z / Math.SQRT2) ** 2))
  return 0.5 * (1 + erf)
}

async function timeRoute(
  server: Server,
  route: string,
  path: string,
  body: (email: string) => object,
  n: number,
  tag: string,
): Promise<TimingResult> {
  const post = async (email: string) => {
    const started = performance.now()
    const res = await fetch(server.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body(email)),
    })
    await res.arrayBuffer()
    if (res.status !== 202) throw new Error(`${route}: ${res.status} for a valid request`)
    return performance.now() - started
  }
  const known = Array.from({ length: n / 2 }, (_, i) => `known-${tag}-${i}@example.org`)
  for (const email of known) await post(email) // these exist now
  // Interleaved at random, one at a time, so that both groups meet the same machine.
  const rng = prng(7)
  const plan = [
    ...known.map((email) => ({ email, repeat: true })),
    ...known.map((_, i) => ({ email: `new-${tag}-${i}@example.org`, repeat: false })),
  ]
  for (let i = plan.length - 1; i > 0; i--) {
    const j = rng.int(i + 1)
    ;[plan[i], plan[j]] = [plan[j]!, plan[i]!]
  }
  const first: number[] = []
  const repeat: number[] = []
  for (const step of plan) (step.repeat ? repeat : first).push(await post(step.email))
  const a = group(first)
  const b = group(repeat)
  return { route, first: a, repeat: b, p: mannWhitneyP(first, repeat), differenceMs: round(b.medianMs - a.medianMs, 2) }
}

// ---------------------------------------------------------------- sqlmap

interface SqlmapTarget {
  name: string
  args: string[]
}
interface SqlmapResult {
  name: string
  injectable: boolean
  verdict: string
  seconds: number
  httpCodes: string
}

function hasSqlmap(): boolean {
  try {
    execFileSync('sqlmap', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

function runSqlmap(target: SqlmapTarget, outDir: string): Promise<SqlmapResult> {
  const started = Date.now()
  const args = [
    ...target.args,
    '--batch',
    '--level',
    '2',
    '--risk',
    '1',
    '--flush-session',
    '--threads',
    '4',
    '--disable-coloring',
    '--output-dir',
    outDir,
  ]
  return new Promise((resolve) => {
    execFile('sqlmap', args, { maxBuffer: 64 * 1024 * 1024 }, (_err, stdout) => {
      const injectable = /is vulnerable|appears to be .*injectable|identified the following injection point/i.test(
        stdout.replace(/do not appear to be injectable/g, ''),
      )
      const codes = [...stdout.matchAll(/^(\d{3}) \([^)]*\) - (\d+) times/gm)].map((m) => `${m[1]}: ${m[2]}`)
      const line = /all tested parameters do not appear to be injectable/.test(stdout)
        ? 'no parameter injectable'
        : injectable
          ? 'INJECTABLE'
          : (/\[CRITICAL\] ([^\n]+)/.exec(stdout)?.[1] ?? 'no parameter injectable')
      resolve({
        name: target.name,
        injectable,
        verdict: line,
        seconds: round((Date.now() - started) / 1000, 1),
        httpCodes: codes.join(', ') || '-',
      })
    })
  })
}

// ---------------------------------------------------------------- main

/**
 * The signed render time (`rendered`) the signing and alerts forms carry, read from the page as a
 * browser gets it and then aged past FORM_MIN_SECONDS (3 s): without it every form post would be
 * dropped silently as a bot's before reaching the database. An old time stays valid, so one does.
 */
async function formTimes(base: string, slug: string) {
  const read = async (path: string) => {
    const html = await (await fetch(base + path)).text()
    const match = /name="rendered" value="([^"]+)"/.exec(html)
    if (!match) throw new Error(`no form time in ${path}`)
    return match[1]!
  }
  const times = {
    sign: await read(`/campaigns/${slug}`),
    alerts: await read('/alerts'),
    letter: await read(`/campaigns/${slug}/letter/send`),
    letterPage: await read(`/campaigns/${slug}/letter`),
    embed: await read(`/campaigns/${slug}/embed`),
  }
  await sleep(3500)
  return times
}

export async function outsideChecks(opts: { fuzz: number; timed: number; sqlmap: boolean; save: boolean }) {
  await prepareBenchDb()
  const db = createDb(BENCH_DATABASE_URL)
  const auth = await organizerAuth(db)
  await db.destroy()
  const server = await startAppServer()
  const slug = DEMO_SLUG
  const signer = { name: 'Kim', email: 'a@example.org', country: 'KR', comment: 'c', publicName: true, alerts: true }
  try {
    const rendered = await formTimes(server.url, slug)
    const endpoints: Endpoint[] = [
      {
        name: 'POST /api/v1/campaigns/:slug/signatures',
        path: `/api/v1/campaigns/${slug}/signatures`,
        kind: 'json',
        fields: signer,
      },
      {
        name: 'POST /api/v1/campaigns/:slug/signatures (with a letter)',
        path: `/api/v1/campaigns/${slug}/signatures`,
        kind: 'json',
        fields: { ...signer, letter: { body: 'Please let them go.', city: 'Seoul' } },
      },
      {
        name: 'POST /api/v1/campaigns/:slug/letters',
        path: `/api/v1/campaigns/${slug}/letters`,
        kind: 'json',
        fields: { name: 'Kim', email: 'a@example.org', country: 'KR', city: 'Seoul', body: 'b', sign: true },
      },
      {
        name: 'POST /campaigns/:slug/letter/send (form)',
        path: `/campaigns/${slug}/letter/send`,
        kind: 'form',
        fields: {
          name: 'Kim',
          email: 'a@example.org',
          country: 'KR',
          city: 'Seoul',
          body: 'b',
          sign: 'on',
          rendered: rendered.letter,
        },
      },
      {
        name: 'POST /campaigns/:slug/letter/sent (form)',
        path: `/campaigns/${slug}/letter/sent`,
        kind: 'form',
        fields: { rendered: rendered.letterPage },
      },
      {
        name: 'POST /campaigns/:slug/embed (form)',
        path: `/campaigns/${slug}/embed`,
        kind: 'form',
        fields: { ...signer, rendered: rendered.embed },
      },
      {
        name: 'POST /api/v1/subscribers',
        path: '/api/v1/subscribers',
        kind: 'json',
        fields: {
          email: 'a@example.org',
          locale: 'ko',
          frequency: 'daily',
          topics: { campaigns: [slug], provinces: ['Jilin'] },
        },
      },
      {
        name: 'POST /campaigns/:slug (form)',
        path: `/campaigns/${slug}`,
        kind: 'form',
        fields: { ...signer, rendered: rendered.sign },
      },
      {
        name: 'POST /alerts (form)',
        path: '/alerts',
        kind: 'form',
        fields: { email: 'a@example.org', frequency: 'daily', campaigns: slug, rendered: rendered.alerts },
      },
      { name: 'POST /privacy/erase (form)', path: '/privacy/erase', kind: 'form', fields: { email: 'a@example.org' } },
      { name: 'POST /confirm/:token', path: '/confirm/{token}', kind: 'form', fields: {} },
      { name: 'POST /alerts/confirm/:token', path: '/alerts/confirm/{token}', kind: 'form', fields: {} },
      { name: 'POST /privacy/erase/:token', path: '/privacy/erase/{token}', kind: 'form', fields: {} },
      {
        name: 'POST /admin/login',
        path: '/admin/login',
        kind: 'form',
        fields: { email: 'a@example.org', password: 'x' },
      },
      {
        name: 'POST /api/v1/campaigns (organizer)',
        path: '/api/v1/campaigns',
        kind: 'json',
        auth: true,
        fields: { title: 't', summary: 's', body: 'b', target: 't', asks: ['a'], goal: 10 },
      },
      {
        name: 'POST /api/v1/reports (organizer)',
        path: '/api/v1/reports',
        kind: 'json',
        auth: true,
        fields: {
          occurredOn: '2026-01-02',
          place: { name: 'Yanji', province: 'Jilin', country: 'CN' },
          peopleCount: 3,
          kind: 'detention',
          summary: 's',
          confidence: 'credible',
        },
      },
      {
        name: 'POST /api/v1/campaigns/:slug/updates (organizer)',
        path: `/api/v1/campaigns/${slug}/updates`,
        kind: 'json',
        auth: true,
        fields: { kind: 'update', title: 't', body: 'b', notify: false },
      },
      {
        name: 'POST /api/v1/targets (organizer)',
        path: '/api/v1/targets',
        kind: 'json',
        auth: true,
        fields: { name: 'n', organisation: 'o', country: 'CN', locale: 'zh', email: 't@example.org' },
      },
      {
        name: 'POST /api/v1/reports/:id/publish (organizer)',
        path: '/api/v1/reports/{token}/publish',
        kind: 'json',
        auth: true,
        fields: {},
      },
    ]
    console.log(`fuzzing: ${opts.fuzz} POSTs over ${endpoints.length} endpoints...`)
    const fuzzed = await fuzz(server, endpoints, opts.fuzz, auth)
    console.log(
      table(
        ['endpoint', 'requests', 'answers'],
        fuzzed.perEndpoint.map((e) => [e.name, e.requests, e.statuses]),
      ),
    )
    console.log(
      verdict(
        fuzzed.serverErrors.length === 0 && fuzzed.healthyAfter,
        `no 5xx and no failed connection in ${fuzzed.requests} fuzzed POSTs (${fuzzed.serverErrors.length} found; ` +
          `${fuzzed.closedOnOversize} closed after a 413 for a 2 MB body); /healthz ${fuzzed.healthyAfter ? 'up' : 'DOWN'} after`,
      ),
    )
    for (const e of fuzzed.serverErrors.slice(0, 10)) console.log(`  ${e.status} ${e.endpoint}: ${e.body}`)

    console.log(`\nenumeration timing: ${opts.timed} requests, first and repeat interleaved...`)
    const half = opts.timed / 2
    const tag = Date.now().toString(36)
    const timings = [
      await timeRoute(
        server,
        'POST /api/v1/campaigns/:slug/signatures',
        `/api/v1/campaigns/${slug}/signatures`,
        (email) => ({ ...signer, email }),
        half,
        `s${tag}`,
      ),
      await timeRoute(
        server,
        'POST /api/v1/subscribers',
        '/api/v1/subscribers',
        (email) => ({ email, locale: 'en' }),
        half,
        `u${tag}`,
      ),
    ]
    console.log(
      table(
        [
          'route',
          'first: n, median, p90 (ms)',
          'repeat: n, median, p90 (ms)',
          'difference of medians',
          'Mann-Whitney p',
        ],
        timings.map((r) => [
          r.route,
          `${r.first.n}, ${r.first.medianMs}, ${r.first.p90Ms}`,
          `${r.repeat.n}, ${r.repeat.medianMs}, ${r.repeat.p90Ms}`,
          `${r.differenceMs} ms`,
          r.p,
        ]),
      ),
    )
    const indistinguishable = timings.every((r) => r.p >= 0.01)
    console.log(
      verdict(
        indistinguishable,
        'a repeat cannot be told from a first request by its timing (p >= 0.01 on every route)',
      ),
    )

    let sqlmap: SqlmapResult[] | 'not installed' | 'not run' = 'not run'
    if (opts.sqlmap && !hasSqlmap()) {
      sqlmap = 'not installed'
      console.log('\nsqlmap: not installed (apt-get install -y sqlmap); skipped')
    } else if (opts.sqlmap) {
      const u = server.url
      const json = ['--headers', 'Content-Type: application/json']
      const bearer = ['--headers', `Authorization: ${auth}\nContent-Type: application/json`]
      const targets: SqlmapTarget[] = [
        { name: 'GET /api/v1/campaigns/:slug', args: ['-u', `${u}/api/v1/campaigns/${slug}*`] },
        { name: 'GET /campaigns/:slug?lang', args: ['-u', `${u}/campaigns/${slug}?lang=ko`] },
        { name: 'GET /reports?kind&province&page', args: ['-u', `${u}/reports?kind=detention&province=Jilin&page=1`] },
        {
          name: 'POST /api/v1/campaigns/:slug/signatures',
          args: [
            '-u',
            `${u}/api/v1/campaigns/${slug}/signatures`,
            '--data',
            JSON.stringify({ name: 'Kim', email: 'sq@example.org', country: 'KR', comment: 'c' }),
            ...json,
          ],
        },
        {
          name: 'POST /api/v1/subscribers',
          args: [
            '-u',
            `${u}/api/v1/subscribers`,
            '--data',
            JSON.stringify({ email: 'sq@example.org', locale: 'en' }),
            ...json,
          ],
        },
        {
          name: 'POST /campaigns/:slug (form)',
          args: [
            '-u',
            `${u}/campaigns/${slug}`,
            '--data',
            `name=Kim&email=sq%40example.org&country=KR&comment=c&rendered=${encodeURIComponent(rendered.sign)}`,
          ],
        },
        {
          name: 'POST /alerts (form)',
          args: [
            '-u',
            `${u}/alerts`,
            '--data',
            `email=sq%40example.org&frequency=daily&campaigns=${slug}&rendered=${encodeURIComponent(rendered.alerts)}`,
          ],
        },
        { name: 'POST /privacy/erase (form)', args: ['-u', `${u}/privacy/erase`, '--data', 'email=sq%40example.org'] },
        { name: 'GET /api/v1/reports?campaign', args: ['-u', `${u}/api/v1/reports?campaign=${slug}`] },
        {
          name: 'POST /api/v1/reports (organizer)',
          args: [
            '-u',
            `${u}/api/v1/reports`,
            '--data',
            JSON.stringify({
              occurredOn: '2026-01-02',
              place: { name: 'Yanji', province: 'Jilin', country: 'CN' },
              peopleCount: 3,
              kind: 'detention',
              summary: 's',
              confidence: 'credible',
            }),
            ...bearer,
          ],
        },
      ]
      const outDir = mkdtempSync(join(os.tmpdir(), 'ua-sqlmap-'))
      sqlmap = []
      try {
        for (const target of targets) {
          console.log(`sqlmap: ${target.name}...`)
          sqlmap.push(await runSqlmap(target, outDir))
        }
      } finally {
        rmSync(outDir, { recursive: true, force: true })
      }
      console.log(
        table(
          ['endpoint', 'sqlmap --level 2 --risk 1', 'seconds', 'answers'],
          sqlmap.map((r) => [r.name, r.verdict, r.seconds, r.httpCodes]),
        ),
      )
      console.log(
        verdict(
          sqlmap.every((r) => !r.injectable),
          `nothing injectable on ${sqlmap.length} endpoints`,
        ),
      )
    }

    const result = {
      at: new Date().toISOString(),
      machine: await machine(),
      options: opts,
      fuzz: fuzzed,
      timings,
      sqlmap,
    }
    if (opts.save) console.log(`saved ${saveResult(`outside-checks-${stamp()}`, result)}`)
    return result
  } finally {
    await server.stop()
    await cleanupBenchState()
  }
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      fuzz: { type: 'string', default: '5700' },
      timed: { type: 'string', default: '2000' },
      'no-sqlmap': { type: 'boolean', default: false },
      save: { type: 'boolean', default: false },
    },
  })
  await preflight('outside-checks', [POSTGRES, REDIS])
  await outsideChecks({
    fuzz: Number(values.fuzz),
    timed: Number(values.timed),
    sqlmap: !values['no-sqlmap'],
    save: values.save,
  })
  process.exit(0)
}
