// The benchmarks of issue 2, in one run:
//   1. campaign page vs bare Fastify          (empty table)
//   2. signing through the API vs plain INSERTs (empty table)
//   3. both again with 1,000,000 confirmed signatures in the table, compared with the empty case
//
//   node --import tsx bench/run-all.ts [--rows 1000000] [--page-duration 10] [--sign-duration 30]
//                                      [--connections 100] [--with-workers] [--wait-for-load 1.5] [--wrk]
//                                      [--page-repeat 3]
//
// Resets the bench database (bench/lib.ts: BENCH_DB_NAME) twice. Prints every table and a PASS/FAIL
// line per target, and saves everything to bench/results/run-all-<time>.json.
import { parseArgs } from 'node:util'
import { printPage, runCampaignPageRepeated, type PageResult } from './campaign-page.ts'
import {
  isMain,
  machine,
  round,
  saveResult,
  stamp,
  table,
  verdict,
  waitForQuiet,
  preflight,
  POSTGRES,
  REDIS,
  WRK,
} from './lib.ts'
import { printSeed, seed } from './seed.ts'
import { printSigning, runSigning, type SigningResult } from './signing.ts'

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '1000000' },
      'page-duration': { type: 'string', default: '10' },
      'sign-duration': { type: 'string', default: '30' },
      warmup: { type: 'string', default: '3' },
      connections: { type: 'string', default: '100' },
      'with-workers': { type: 'boolean', default: false },
      'wait-for-load': { type: 'string' },
      // The page again under wrk (not the target's client; it shows the servers' side).
      wrk: { type: 'boolean', default: false },
      // Each page comparison N times, judged on the median ratio (the host's speed drifts).
      'page-repeat': { type: 'string', default: '3' },
    },
  })
  await preflight('run-all', values.wrk ? [POSTGRES, REDIS, WRK] : [POSTGRES, REDIS])
  if (values['wait-for-load']) await waitForQuiet(Number(values['wait-for-load']))
  const connections = Number(values.connections)
  const warmup = Number(values.warmup)
  const rows = Number(values.rows)
  const info = await machine()
  console.log(
    `machine: ${info.nproc} CPUs (${info.cpu}), ${info.memGiB} GiB, node ${info.node}, Postgres ${info.postgres}; ` +
      `started ${info.at}, load average ${info.loadavg.join(' ')}; code: ${info.code}`,
  )

  const page = async (label: string, client: 'autocannon' | 'wrk' = 'autocannon') => {
    const r = await runCampaignPageRepeated(
      { label, connections, duration: Number(values['page-duration']), warmup, client },
      Number(values['page-repeat']),
    )
    if (!r.repeats)
      printPage(r) // else each run was printed
    else console.log(r.verdict)
    return r
  }
  const signing = async (label: string, withWorkers = false) => {
    const r = await runSigning({ label, connections, duration: Number(values['sign-duration']), warmup, withWorkers })
    printSigning(r)
    return r
  }

  const seedEmpty = await seed(0)
  printSeed(seedEmpty)
  const pageEmpty = await page('empty')
  const pageEmptyWrk = values.wrk ? await page('empty', 'wrk') : null
  const signEmpty = await signing('empty')
  const signEmptyWorkers = values['with-workers'] ? await signing('empty, web + workers', true) : null

  const seedFull = await seed(rows)
  printSeed(seedFull)
  const pageFull = await page(`${rows.toLocaleString('en')} signatures`)
  const pageFullWrk = values.wrk ? await page(`${rows.toLocaleString('en')} signatures`, 'wrk') : null
  const signFull = await signing(`${rows.toLocaleString('en')} signatures`)

  const target3 = compare(pageEmpty, pageFull, signEmpty, signFull, rows)
  console.log(`\n=== summary (${info.at} .. ${new Date().toISOString()})`)
  console.log(
    table(
      ['', 'empty', `${rows.toLocaleString('en')} signatures`, 'loaded / empty'],
      [
        [
          'page req/s (median)',
          pageEmpty.medianAppReqPerSec ?? pageEmpty.app.reqPerSec,
          pageFull.medianAppReqPerSec ?? pageFull.app.reqPerSec,
          target3.pageRatio,
        ],
        ['page p50 ms (median run)', pageEmpty.app.p50, pageFull.app.p50, ''],
        ['page p99 ms (median run)', pageEmpty.app.p99, pageFull.app.p99, ''],
        // Not the target's measure, which compares req/s minutes apart: the host's own drift
        // between the two shows in the bare route, and the ratio to it leaves that drift out.
        [
          'bare Fastify req/s (median run)',
          pageEmpty.baseline.reqPerSec,
          pageFull.baseline.reqPerSec,
          round(pageFull.baseline.reqPerSec / pageEmpty.baseline.reqPerSec, 3),
        ],
        [
          'page / bare Fastify (median run)',
          pageEmpty.ratio,
          pageFull.ratio,
          round(pageFull.ratio / pageEmpty.ratio, 3),
        ],
        [
          'page / its response replayed by bare Fastify',
          pageEmpty.ratioToReplay ?? '',
          pageFull.ratioToReplay ?? '',
          '',
        ],
        ...(pageEmptyWrk && pageFullWrk
          ? [
              ['wrk: page / bare Fastify (not the target)', pageEmptyWrk.ratio, pageFullWrk.ratio, ''],
              [
                'wrk: page / its response replayed',
                pageEmptyWrk.ratioToReplay ?? '',
                pageFullWrk.ratioToReplay ?? '',
                '',
              ],
            ]
          : []),
        ['signing accepted/s', signEmpty.acceptedPerSec, signFull.acceptedPerSec, target3.signRatio],
        ['signing p99 ms', signEmpty.load.p99, signFull.load.p99, ''],
        ['signing non-2xx', signEmpty.load.non2xx, signFull.load.non2xx, ''],
        [
          'plain INSERTs signatures/s',
          signEmpty.baseline.rowsPerSec,
          signFull.baseline.rowsPerSec,
          target3.baselineRatio,
        ],
      ],
    ),
  )
  const verdicts = [
    `target 1 (empty):     ${pageEmpty.verdict}`,
    `target 1 (loaded):    ${pageFull.verdict}`,
    `target 2 (empty):     ${signEmpty.verdict}`,
    `target 2 (loaded):    ${signFull.verdict}`,
    `target 3:             ${target3.verdict}`,
  ]
  if (signEmptyWorkers) verdicts.push(`extra (web+workers):  ${signEmptyWorkers.verdict}`)
  if (pageEmptyWrk && pageFullWrk) {
    verdicts.push(`extra (wrk, empty):   ${pageEmptyWrk.verdict}`, `extra (wrk, loaded):  ${pageFullWrk.verdict}`)
  }
  for (const v of verdicts) console.log(v)
  const file = saveResult(`run-all-${stamp()}`, {
    machine: info,
    finishedAt: new Date().toISOString(),
    options: values,
    seedEmpty,
    seedFull,
    pageEmpty,
    pageFull,
    pageEmptyWrk,
    pageFullWrk,
    signEmpty,
    signEmptyWorkers,
    signFull,
    target3,
    verdicts,
  })
  console.log(`saved ${file}`)
}

function compare(
  pageEmpty: PageResult,
  pageFull: PageResult,
  signEmpty: SigningResult,
  signFull: SigningResult,
  rows: number,
) {
  const rate = (r: PageResult) => r.medianAppReqPerSec ?? r.app.reqPerSec
  const pageRatio = round(rate(pageFull) / rate(pageEmpty), 3)
  const signRatio = round(signFull.acceptedPerSec / signEmpty.acceptedPerSec, 3)
  const baselineRatio = round(signFull.baseline.rowsPerSec / signEmpty.baseline.rowsPerSec, 3)
  const pass = pageRatio >= 0.8 && signRatio >= 0.8
  return {
    pageRatio,
    signRatio,
    baselineRatio,
    pass,
    verdict: verdict(
      pass,
      `with ${rows.toLocaleString('en')} signatures the page keeps ${round(pageRatio * 100, 1)}% of its empty-table req/s and signing ` +
        `${round(signRatio * 100, 1)}% of its accepted/s (target >= 80% each)`,
    ),
  }
}
