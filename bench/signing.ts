// Target 2: POST /api/v1/campaigns/<demo slug>/signatures, each request a new address, for 30 s,
// against the web role alone (no workers: the outbox rows accumulate, nothing relays them;
// --with-workers runs `src/server.ts --with-workers` as `npm start` does, emails go to files in a
// temporary directory, deleted afterwards with the bench's Redis keys).
// --form signs through the HTML form instead, as a browser does (the honeypot empty, the render
// time the page carries, so the form guard runs; accepted = 303 to the thanks page).
// Afterwards every accepted (202) signature must be in the database with its outbox row. Then the
// baseline: the same number of signature + outbox rows as plain INSERTs through pg, one
// transaction per signature, same concurrency (bench/pg-insert-baseline.ts, its own process).
//
//   node --import tsx bench/signing.ts [--connections 100] [--duration 30] [--warmup 3] [--form] [--letter]
//
// --letter: each API request also asks for the campaign's letter (sign and write in one go, issue 15).
//
// Uses the bench database as it is (run bench/seed.ts first to choose empty or 1M signatures).
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { DEMO_SLUG } from '../src/modules/demo/service.ts'
import { cpuTable, loadTable } from './campaign-page.ts'
import {
  APP_POOL_SIZE,
  BENCH_DATABASE_URL,
  cannon,
  cleanupBenchState,
  countRows,
  isMain,
  round,
  runScript,
  saveResult,
  sleep,
  stamp,
  startAppServer,
  table,
  verdict,
  withPg,
  type LoadSummary,
  preflight,
  POSTGRES,
  REDIS,
} from './lib.ts'
import { prepareBenchDb } from './seed.ts'

export interface SigningOptions {
  label: string
  connections: number
  duration: number
  warmup: number
  /** Also run with the workers in the web process (`--with-workers`, as `npm start`). */
  withWorkers?: boolean
  /**
   * Sign through the HTML form as a browser does (`--form`): urlencoded, the honeypot empty, the
   * render time the page carries (so the form guard's checks run), accepted = 303 to the thanks page.
   */
  form?: boolean
  /**
   * Sign and write in one go (`--letter`, issue 15): every API request also asks the platform to
   * send the campaign's letter; accepted = every address with its signature, outbox row and letter.
   */
  letter?: boolean
}

export interface BaselineResult {
  prefix: string
  rows: number
  inserted: number
  concurrency: number
  pool: number
  seconds: number
  rowsPerSec: number
  p50: number
  p99: number
  max: number
  cpu: { script: number; postgres: number; machine: number; scriptUsPerRow: number } | null
}

export interface SigningResult {
  label: string
  withWorkers: boolean
  form: boolean
  letter: boolean
  rowsBefore: { signatures: number; outbox: number }
  rowsAfter: { signatures: number; outbox: number }
  load: LoadSummary
  accepted: number
  acceptedPerSec: number
  /** Rows with this run's address prefix, whatever the answer (requests cut at the end included). */
  runSignatureRows: number
  /** Of the addresses answered 202: how many have a signatures row, and a signature.confirm outbox row. */
  acceptedInSignatures: number
  acceptedInOutbox: number
  /** With --letter: how many of them have their letter row, waiting for the signature's confirmation. */
  acceptedInLetters: number | null
  baseline: BaselineResult
  baselineRowsInDb: number
  ratioToBaseline: number
  pass: boolean
  verdict: string
}

export const SIGNING_DEFAULTS: SigningOptions = { label: 'signing', connections: 100, duration: 30, warmup: 3 }
export const SIGN_PATH = `/api/v1/campaigns/${DEMO_SLUG}/signatures`
export const FORM_PATH = `/campaigns/${DEMO_SLUG}`

/** The signed render time the campaign page's form carries, as a browser would send it back. */
async function renderedStamp(base: string): Promise<string> {
  const html = await (await fetch(base + FORM_PATH)).text()
  const stamp = /name="rendered" value="([^"]+)"/.exec(html)?.[1]
  if (!stamp) throw new Error('the campaign page carries no form render time')
  return stamp
}

export function signRequests(prefix: string, accepted?: string[], rendered?: string, letter = false) {
  let n = 0
  const form = rendered !== undefined
  return [
    {
      method: 'POST',
      path: form ? FORM_PATH : SIGN_PATH,
      headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
      setupRequest(req: Record<string, unknown>, context: Record<string, unknown>) {
        const i = n++
        const email = `${prefix}.${i}@bench.example.org`
        context.email = email
        const fields = { name: `Bench Signer ${i}`, email, country: 'KR' }
        req.body = form
          ? new URLSearchParams({ ...fields, website: '', rendered }).toString()
          : JSON.stringify(letter ? { ...fields, letter: { city: 'Seoul' } } : fields)
        return req
      },
      onResponse(status: number, _body: string, context: Record<string, unknown>) {
        if (status === (form ? 303 : 202) && accepted) accepted.push(context.email as string)
      },
    },
  ]
}

export async function runSigning(opts: SigningOptions = SIGNING_DEFAULTS): Promise<SigningResult> {
  await prepareBenchDb()
  const run = randomBytes(4).toString('hex')
  const rowsBefore = await countRows()
  const server = await startAppServer({}, opts.withWorkers ? ['--with-workers'] : [])
  const accepted: string[] = []
  let load: LoadSummary
  try {
    const url = server.url + (opts.form ? FORM_PATH : SIGN_PATH)
    // Rendered now and sent after the warm-up: older than FORM_MIN_SECONDS (3 s) by then.
    const rendered = opts.form ? await renderedStamp(server.url) : undefined
    if (opts.form) await sleep(3500)
    if (opts.warmup > 0) {
      await cannon('warm-up', {
        url,
        connections: opts.connections,
        duration: opts.warmup,
        requests: signRequests(`w.${run}`, undefined, rendered, opts.letter),
      })
    }
    ;({ summary: load } = await cannon(
      `POST ${opts.form ? `${FORM_PATH} (form)` : SIGN_PATH}${opts.withWorkers ? ' (web + workers)' : ''}`,
      {
        url,
        connections: opts.connections,
        duration: opts.duration,
        requests: signRequests(`s.${run}`, accepted, rendered, opts.letter),
      },
      server.pid,
    ))
  } finally {
    // autocannon drops its connections at the deadline; let the requests already in the server
    // finish (their clients are gone) before stopping it, so shutdown does not cut them.
    await sleep(2000)
    await server.stop()
    await cleanupBenchState()
  }
  const acceptedCount = accepted.length

  const check = await withPg(BENCH_DATABASE_URL, async (c) => {
    const { rows: all } = await c.query<{ n: string }>('select count(*) as n from signatures where email like $1', [
      `s.${run}.%`,
    ])
    const { rows: found } = await c.query<{ sig: string; out: string }>(
      `with acc as (select s.id from signatures s where s.email = any($1::text[]))
       select (select count(*) from acc) as sig,
              (select count(distinct acc.id) from acc join outbox o
                 on o.kind = 'signature.confirm' and (o.payload->>'signatureId')::bigint = acc.id) as out`,
      [accepted],
    )
    const { rows: wrote } = await c.query<{ n: string }>(
      'select count(*) as n from letters where email = any($1::text[]) and with_signature',
      [accepted],
    )
    return {
      runRows: Number(all[0]!.n),
      sig: Number(found[0]!.sig),
      out: Number(found[0]!.out),
      letters: Number(wrote[0]!.n),
    }
  })

  const baselinePrefix = `b.${run}`
  const out = await runScript('bench/pg-insert-baseline.ts', [
    '--rows',
    String(acceptedCount),
    '--concurrency',
    String(opts.connections),
    '--pool',
    String(APP_POOL_SIZE),
    '--prefix',
    baselinePrefix,
  ])
  const baseline = JSON.parse(out.trim().split('\n').at(-1)!) as BaselineResult
  const baselineRowsInDb = await withPg(BENCH_DATABASE_URL, async (c) => {
    const { rows } = await c.query<{ n: string }>('select count(*) as n from signatures where email like $1', [
      `${baselinePrefix}.%`,
    ])
    return Number(rows[0]!.n)
  })
  const rowsAfter = await countRows()

  const acceptedPerSec = round(acceptedCount / load.seconds, 0)
  const allStored =
    check.sig === acceptedCount && check.out === acceptedCount && (!opts.letter || check.letters === acceptedCount)
  const pass = acceptedPerSec >= 1000 && allStored && acceptedCount > 0
  return {
    label: opts.label,
    withWorkers: !!opts.withWorkers,
    form: !!opts.form,
    letter: !!opts.letter,
    rowsBefore,
    rowsAfter,
    load,
    accepted: acceptedCount,
    acceptedPerSec,
    runSignatureRows: check.runRows,
    acceptedInSignatures: check.sig,
    acceptedInOutbox: check.out,
    acceptedInLetters: opts.letter ? check.letters : null,
    baseline,
    baselineRowsInDb,
    ratioToBaseline: round(acceptedPerSec / baseline.rowsPerSec, 3),
    pass,
    verdict: verdict(
      pass,
      `${acceptedPerSec} accepted signatures${opts.letter ? ' with a letter' : ''}/s over ${round(load.seconds, 1)} s (target >= 1000), ` +
        `${check.sig}/${acceptedCount} accepted in signatures, ${check.out}/${acceptedCount} in outbox` +
        (opts.letter ? `, ${check.letters}/${acceptedCount} letters` : '') +
        '; ' +
        `plain pg INSERTs ${baseline.rowsPerSec}/s`,
    ),
  }
}

export function printSigning(r: SigningResult) {
  console.log(
    `\nsigning [${r.label}]${r.withWorkers ? ' web + workers' : ' web only, no workers'}; rows before: ${r.rowsBefore.signatures.toLocaleString('en')} signatures, ${r.rowsBefore.outbox.toLocaleString('en')} outbox`,
  )
  console.log(loadTable([r.load]))
  console.log('CPU used during the run, in cores:')
  console.log(cpuTable([r.load]))
  console.log(
    table(
      ['', 'signatures', 'per s', 'p50 ms', 'p99 ms', 'rows found in DB'],
      [
        [
          `${r.form ? 'form: 303 answers' : 'API: 202 answers'} (status codes ${JSON.stringify(r.load.statusCodes)})`,
          r.accepted,
          r.acceptedPerSec,
          r.load.p50,
          r.load.p99,
          `${r.acceptedInSignatures} signatures + ${r.acceptedInOutbox} outbox${r.acceptedInLetters === null ? '' : ` + ${r.acceptedInLetters} letters`} (all rows of the run: ${r.runSignatureRows})`,
        ],
        [
          `plain pg INSERTs, ${r.baseline.concurrency} concurrent, pool ${r.baseline.pool}, 1 tx each`,
          r.baseline.inserted,
          r.baseline.rowsPerSec,
          r.baseline.p50,
          r.baseline.p99,
          `${r.baselineRowsInDb} signatures (+ as many outbox)`,
        ],
      ],
    ),
  )
  console.log(`API / plain INSERTs: ${r.ratioToBaseline}`)
  if (r.baseline.cpu) {
    const c = r.baseline.cpu
    console.log(
      `plain INSERTs CPU, in cores: insert script ${c.script} (${c.scriptUsPerRow} µs/signature), postgres (bench db) ${c.postgres}, machine busy ${c.machine}`,
    )
  }
  console.log(
    `rows after: ${r.rowsAfter.signatures.toLocaleString('en')} signatures, ${r.rowsAfter.outbox.toLocaleString('en')} outbox`,
  )
  console.log(r.verdict)
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      connections: { type: 'string', default: String(SIGNING_DEFAULTS.connections) },
      duration: { type: 'string', default: String(SIGNING_DEFAULTS.duration) },
      warmup: { type: 'string', default: String(SIGNING_DEFAULTS.warmup) },
      label: { type: 'string', default: 'signing' },
      'with-workers': { type: 'boolean', default: false },
      form: { type: 'boolean', default: false },
      letter: { type: 'boolean', default: false },
    },
  })
  if (values.form && values.letter) throw new Error('--letter signs through the API; the form signs without a letter')
  await preflight('signing', [POSTGRES, REDIS])
  const result = await runSigning({
    label: values.label,
    connections: Number(values.connections),
    duration: Number(values.duration),
    warmup: Number(values.warmup),
    withWorkers: values['with-workers'],
    form: values.form,
    letter: values.letter,
  })
  printSigning(result)
  console.log(`saved ${saveResult(`signing-${stamp()}`, result)}`)
  process.exit(result.pass ? 0 : 1)
}
