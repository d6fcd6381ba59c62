// METRICS_PORT (issue 17): `npm start` and `npm run worker` serve Prometheus text at GET /metrics
// with the contract's minimum, labelled by route pattern and kind, never by an address.
import { spawn } from 'node:child_process'
import t from 'tap'
import { DEMO_SLUG, loadDemo } from '../../src/modules/demo/service.ts'
import { freePort } from '../fault/private-redis.ts'
import { createTestDb, eventually, REDIS_URL, uniqueName } from '../helper.ts'

function start(script: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', ...script], {
    env: { ...process.env, REDIS_URL, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (c) => (output += c))
  child.stderr.on('data', (c) => (output += c))
  return { child, output: () => output }
}

const scrape = (port: number) =>
  fetch(`http://127.0.0.1:${port}/metrics`).then(
    async (r) => (r.ok ? r.text() : undefined),
    () => undefined,
  )

/** The value of one sample line, e.g. `ua_emails_total{kind="signature.confirm",outcome="sent"}`. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue
    const body = line.slice(name.length + 1, line.indexOf('}'))
    if (Object.entries(labels).every(([k, v]) => body.includes(`${k}="${v}"`))) return Number(line.split(' ').at(-1))
  }
  return undefined
}

t.test('the web and worker roles serve their metrics, and nothing personal is in them', async (t) => {
  const { db, url } = await createTestDb(t)
  await loadDemo(db)
  const [port, metricsPort, workerMetricsPort] = await Promise.all([freePort(), freePort(), freePort()])
  const prefix = uniqueName('uametrics')
  const outboxDir = `/tmp/${uniqueName('ua-outbox')}`
  const common = { DATABASE_URL: url, QUEUE_PREFIX: prefix, OUTBOX_DIR: outboxDir, RATE_LIMIT_PER_MINUTE: '3' }
  const web = start(['src/server.ts'], { ...common, PORT: String(port), METRICS_PORT: String(metricsPort) })
  t.teardown(() => web.child.kill('SIGKILL'))
  const worker = start(['workers/index.ts'], { ...common, METRICS_PORT: String(workerMetricsPort) })
  t.teardown(() => worker.child.kill('SIGKILL'))
  await eventually(() => scrape(metricsPort), 60_000, 'the web metrics')
  await eventually(() => scrape(workerMetricsPort), 60_000, 'the worker metrics')

  const email = 'metrics.signer@example.org'
  const sign = (n: number) =>
    fetch(`http://127.0.0.1:${port}/api/v1/campaigns/${DEMO_SLUG}/signatures`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Metrics', email: n === 0 ? email : `m${n}@example.org`, country: 'KR' }),
    }).then((r) => r.status)
  t.equal(await sign(0), 202)
  for (let n = 1; n < 4; n++) await sign(n)
  t.equal(await sign(9), 429, 'past the rate limit')

  const webText = (await scrape(metricsPort))!
  const route = '/api/v1/campaigns/:slug/signatures'
  t.equal(sample(webText, 'ua_http_requests_total', { method: 'POST', route, status: '202' }), 3)
  t.equal(sample(webText, 'ua_http_requests_total', { method: 'POST', route, status: '429' }), 2)
  t.ok(sample(webText, 'ua_http_request_duration_seconds_bucket', { route, le: '+Inf' }), 'a latency histogram')
  t.equal(sample(webText, 'ua_rate_limited_total', { route }), 2, "the rate limiter's refusals")
  t.notOk(webText.includes(DEMO_SLUG), 'route patterns, not URLs as sent')

  const workerText = await eventually(
    async () => {
      const text = await scrape(workerMetricsPort)
      const done =
        text &&
        sample(text, 'ua_emails_total', { kind: 'signature.confirm', outcome: 'sent' }) === 3 &&
        sample(text, 'ua_jobs', { queue: 'mail', state: 'completed' }) === 3
      return done ? text : undefined
    },
    30_000,
    'three confirmation emails counted, and their jobs completed (jobs by queue and state)',
  )
  t.equal(sample(workerText, 'ua_smtp_answers_total', { class: '2xx' }), 3)
  t.equal(sample(workerText, 'ua_jobs', { queue: 'deliveries', state: 'failed' }), 0)
  t.equal(sample(workerText, 'ua_queue_paused', { queue: 'mail' }), 0)
  t.match(workerText, /^ua_outbox_oldest_unrelayed_seconds 0$/m, 'nothing waits in the outbox')
  t.match(workerText, /^ua_count_deltas_pending \d+$/m)
  for (const text of [webText, workerText]) {
    t.notOk(/example\.org|127\.0\.0\.1|Metrics/.test(text), 'no address, IP or name')
  }
  t.equal((await fetch(`http://127.0.0.1:${metricsPort}/other`)).status, 404)
})
