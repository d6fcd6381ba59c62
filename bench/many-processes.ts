// Many processes, shown (issue 17): nginx from Debian's package, running docs/nginx.conf as shipped
// but for its ports, in front of two web processes and two worker processes on one Postgres and one
// Redis. First the campaign page and signing under load, direct to one web process and through
// nginx, same run. Then signing under load through nginx while a report is published to
// --subscribers subscribers; once about a third of the alert is out, one web process and one
// worker process are killed with SIGKILL, and the load goes on. Afterwards it checks, from an SMTP
// server that counts what each address received:
//   - every accepted signature (202) is stored, and its confirmation email arrived;
//   - every subscriber got the alert;
//   - alert emails sent twice are no more than the sends the killed worker had in flight
//     (DELIVERY_CONCURRENCY): a send is marked after the relay's answer, so the ones in flight at
//     the kill are sent again by the other worker once their claim expires (JOB_LOCK_SECONDS x 2).
//
//   node --import tsx bench/many-processes.ts [--subscribers 10000] [--duration 30] [--connections 40]
//        [--compare-seconds 10] [--concurrency 20] [--label text]
//
// Uses its own database (ua_bench_fanout, dropped afterwards) and Redis prefix.
import { spawnSync } from 'node:child_process'
import os from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { deleteRedisPrefix } from '../tests/helper.ts'
import { countingSmtp } from '../tests/fault/worker-process.ts'
import { NGINX, NGINX_INSTALL, startNginx, type Nginx } from '../tests/process/nginx-server.ts'
import { PAGE_PATH } from './campaign-page.ts'
import { startWorkers, waitWorkersReady } from './fanout-phases.ts'
import {
  api,
  BENCH_REPORT,
  dropFanoutDb,
  FANOUT_DATABASE_URL,
  resetFanoutDb,
  workerEnv,
  type FanoutOptions,
} from './fanout-setup.ts'
import {
  cannon,
  isMain,
  machine,
  preflight,
  REDIS_URL,
  RESULTS_DIR,
  round,
  saveResult,
  sleep,
  stamp,
  startAppServer,
  stopChild,
  table,
  verdict,
  POSTGRES,
  REDIS,
  type LoadSummary,
  type Need,
  type Server,
} from './lib.ts'
import { SIGN_PATH, signRequests } from './signing.ts'

const NGINX_NEED: Need = { program: NGINX, install: NGINX_INSTALL }

interface Options {
  subscribers: number
  duration: number
  connections: number
  compareSeconds: number
  concurrency: number
  label: string
}

const DEFAULTS: Options = {
  subscribers: 10_000,
  duration: 30,
  connections: 40,
  compareSeconds: 10,
  concurrency: 20,
  label: 'many-processes',
}

/** `nginx -v` writes its version to stderr. */
function nginxVersion(): string {
  const out = spawnSync(NGINX, ['-v'], { encoding: 'utf8' })
  return (out.stderr || out.stdout).trim()
}

interface Compared {
  page: { direct: LoadSummary; nginx: LoadSummary }
  signing: { direct: LoadSummary; nginx: LoadSummary }
}

/** The campaign page and signing, direct to one web process and through nginx to both. */
async function compare(direct: Server, nginx: Server, opts: Options): Promise<Compared> {
  const page = async (server: Server) =>
    (
      await cannon(`GET ${PAGE_PATH} via ${server.name}`, {
        url: server.url + PAGE_PATH,
        connections: opts.connections,
        duration: opts.compareSeconds,
        headers: { 'accept-encoding': 'gzip, deflate, br, zstd' },
      })
    ).summary
  const sign = async (server: Server, prefix: string) =>
    (
      await cannon(`POST ${SIGN_PATH} via ${server.name}`, {
        url: server.url + SIGN_PATH,
        connections: opts.connections,
        duration: opts.compareSeconds,
        requests: signRequests(prefix),
      })
    ).summary
  return {
    page: { direct: await page(direct), nginx: await page(nginx) },
    signing: { direct: await sign(direct, 'cmp-direct'), nginx: await sign(nginx, 'cmp-nginx') },
  }
}

export async function runManyProcesses(opts: Options = DEFAULTS) {
  const runStamp = stamp()
  const prefix = `uamany${runStamp.replace(/\D/g, '').slice(-8)}`
  const cleanups: (() => unknown)[] = []
  const smtp = await countingSmtp({ teardown: (fn) => cleanups.push(fn) })
  const fanoutOpts: FanoutOptions = {
    sizes: [opts.subscribers],
    processes: 2,
    concurrency: opts.concurrency,
    pool: 5,
    pollMs: 250,
    raw: false,
    keepDb: false,
    label: opts.label,
    kind: 'report',
  }
  // Every signer of the load writes from one domain: the cap on emails per recipient domain (there
  // against floods of typed addresses) would pace their confirmations to 120 a minute.
  const env = { ...workerEnv(fanoutOpts, smtp.port, prefix), MAIL_DOMAIN_PER_MINUTE: '0' }
  const logFile = join(os.tmpdir(), `ua-many-${runStamp}.log`)
  console.log(`seeding ${opts.subscribers.toLocaleString('en')} subscribers...`)
  const { token } = await resetFanoutDb(opts.subscribers)
  const webEnv = { ...env, TRUST_PROXY: 'true' }
  const webs = [await startAppServer(webEnv), await startAppServer(webEnv)]
  webs.forEach((w, i) => (w.name = `web ${i + 1}`))
  const workers = startWorkers(2, env, logFile)
  let nginx: Server | undefined
  const client = new pg.Client({ connectionString: FANOUT_DATABASE_URL })
  await client.connect()
  try {
    await waitWorkersReady(prefix, 2, workers)
    const proxy: Nginx = await startNginx(webs.map((w) => Number(new URL(w.url).port)))
    nginx = { name: 'nginx', url: proxy.url, pid: proxy.pid, stop: () => proxy.stop() }

    console.log('comparing direct and through nginx...')
    const compared = await compare(webs[0]!, nginx, opts)

    // The run: signing through nginx, a report published, a web and a worker killed midway.
    const accepted: string[] = []
    const subscriberAddress = (i: number) => `subscriber.${i}@bench.example.org`
    const alertReceived = () => {
      let n = 0
      for (let i = 1; i <= opts.subscribers; i++) if (smtp.received.has(subscriberAddress(i))) n++
      return n
    }
    const t0 = Date.now()
    const load = cannon(`POST ${SIGN_PATH} via nginx, kill midway`, {
      url: nginx.url + SIGN_PATH,
      connections: opts.connections,
      duration: opts.duration,
      requests: signRequests(`run-${prefix}`, accepted),
    })
    await sleep(2000)
    const created = await api<{ id: string }>(nginx, token, 'POST', '/api/v1/reports', BENCH_REPORT)
    if (created.status !== 201) throw new Error(`create report answered ${created.status}`)
    const published = await api<{ alert: { id: string } }>(
      nginx,
      token,
      'POST',
      `/api/v1/reports/${created.json.id}/publish`,
    )
    if (published.status !== 202) throw new Error(`publish answered ${published.status}`)
    const alertId = published.json.alert.id
    const publishedAt = Date.now()

    // Midway: a third of the alert out, or 60% of the load's time gone, whichever comes first.
    while (alertReceived() < opts.subscribers / 3 && Date.now() - t0 < opts.duration * 600) await sleep(100)
    const killedAt = { seconds: round((Date.now() - t0) / 1000, 1), alertReceived: alertReceived() }
    process.kill(webs[0]!.pid, 'SIGKILL')
    workers[0]!.child.kill('SIGKILL')
    console.log(`killed web 1 and worker 1 at ${killedAt.seconds} s, ${killedAt.alertReceived} alerts out`)
    const { summary } = await load
    await sleep(2000)

    // Wait for the alert and the confirmations, at most 2 minutes without progress (a dead worker's
    // claimed sends come back after twice JOB_LOCK_SECONDS).
    const confirmed = () => accepted.filter((a) => smtp.received.has(a)).length
    let last = -1
    let lastChange = Date.now()
    for (;;) {
      const alerts = alertReceived()
      const confirmations = confirmed()
      if (alerts === opts.subscribers && confirmations === accepted.length) break
      if (alerts + confirmations !== last) {
        last = alerts + confirmations
        lastChange = Date.now()
      }
      if (Date.now() - lastChange > 120_000) break
      if ((Date.now() - publishedAt) % 10_000 < 1000) {
        console.log(`  alert ${alerts}/${opts.subscribers}, confirmations ${confirmations}/${accepted.length}`)
      }
      await sleep(1000)
    }
    const alertDoneSeconds = round((Date.now() - publishedAt) / 1000, 1)

    const { rows: stored } = await client.query<{ n: number }>(
      'select count(*)::int as n from signatures where email = any($1::text[])',
      [accepted],
    )
    const { rows: byStatus } = await client.query<{ status: string; n: number }>(
      'select status, count(*)::int as n from deliveries where alert_id = $1 group by status order by status',
      [alertId],
    )
    let alertDuplicates = 0
    for (let i = 1; i <= opts.subscribers; i++)
      alertDuplicates += Math.max(0, (smtp.received.get(subscriberAddress(i)) ?? 0) - 1)
    const confirmationDuplicates = accepted.reduce((n, a) => n + Math.max(0, (smtp.received.get(a) ?? 0) - 1), 0)

    const result = {
      label: opts.label,
      machine: await machine(),
      options: opts,
      nginx: nginxVersion(),
      compared,
      run: {
        load: summary,
        accepted: accepted.length,
        stored: stored[0]!.n,
        confirmationsReceived: confirmed(),
        confirmationDuplicates,
        killedAt,
        alert: {
          subscribers: opts.subscribers,
          received: alertReceived(),
          duplicates: alertDuplicates,
          inFlightBound: opts.concurrency,
          deliveries: Object.fromEntries(byStatus.map((r) => [r.status, r.n])),
          secondsFromPublish: alertDoneSeconds,
        },
      },
    }
    const pass =
      result.run.stored === result.run.accepted &&
      result.run.confirmationsReceived === result.run.accepted &&
      result.run.alert.received === opts.subscribers &&
      alertDuplicates <= opts.concurrency &&
      killedAt.alertReceived > 0 &&
      killedAt.alertReceived < opts.subscribers
    return { ...result, pass, file: saveResult(`many-processes-${runStamp}`, { ...result, pass }) }
  } finally {
    await client.end()
    await nginx?.stop()
    for (const w of webs) await w.stop().catch(() => {})
    for (const w of workers) await stopChild(w.child, w.exit)
    for (const fn of cleanups) await fn()
    await deleteRedisPrefix(REDIS_URL, prefix)
    await dropFanoutDb()
  }
}

function printResult(r: Awaited<ReturnType<typeof runManyProcesses>>) {
  const row = (name: string, s: LoadSummary) => [name, s.reqPerSec, s.p50, s.p99, s.non2xx, s.errors]
  console.log(`\n${r.machine.code}, ${r.nginx.trim()}`)
  console.log(
    table(
      ['', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'],
      [
        row('page, direct to one web process', r.compared.page.direct),
        row('page, nginx to two', r.compared.page.nginx),
        row('signing, direct to one web process', r.compared.signing.direct),
        row('signing, nginx to two', r.compared.signing.nginx),
        row('signing, nginx, web 1 + worker 1 killed', r.run.load),
      ],
    ),
  )
  const a = r.run.alert
  console.log(
    table(
      ['check', 'result'],
      [
        ['accepted signatures (202) stored', `${r.run.stored} of ${r.run.accepted}`],
        ['their confirmation emails received', `${r.run.confirmationsReceived} of ${r.run.accepted}`],
        ['killed at', `${r.run.killedAt.seconds} s, ${r.run.killedAt.alertReceived} alerts out`],
        ['subscribers who got the alert', `${a.received} of ${a.subscribers}, ${a.secondsFromPublish} s after publish`],
        ['alert emails sent twice', `${a.duplicates} (at most ${a.inFlightBound}: sends in flight)`],
        ['confirmation emails sent twice', String(r.run.confirmationDuplicates)],
        ['deliveries rows', JSON.stringify(a.deliveries)],
      ],
    ),
  )
  console.log(
    verdict(r.pass, 'every accepted signature stored, every subscriber alerted, duplicates within sends in flight'),
  )
  console.log(`result: ${r.file.replace(RESULTS_DIR, 'bench/results/')}`)
}

if (isMain(import.meta.url)) {
  await preflight('bench/many-processes.ts', [POSTGRES, REDIS, NGINX_NEED])
  const { values } = parseArgs({
    options: {
      subscribers: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      'compare-seconds': { type: 'string' },
      concurrency: { type: 'string' },
      label: { type: 'string' },
    },
  })
  const num = (v: string | undefined, d: number) => (v === undefined ? d : Number(v))
  const result = await runManyProcesses({
    subscribers: num(values.subscribers, DEFAULTS.subscribers),
    duration: num(values.duration, DEFAULTS.duration),
    connections: num(values.connections, DEFAULTS.connections),
    compareSeconds: num(values['compare-seconds'], DEFAULTS.compareSeconds),
    concurrency: num(values.concurrency, DEFAULTS.concurrency),
    label: values.label ?? DEFAULTS.label,
  })
  printResult(result)
  process.exit(result.pass ? 0 : 1)
}
