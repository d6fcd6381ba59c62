// Postgres restarted under a running app and its workers (a private cluster, stopped with a fast
// shutdown as in a restart or failover): while it is down, requests that need it get a 503 in
// the contract's shape, never a 500, and the process lives; once it is back, everything works
// again without a restart, and nothing signed before is lost.
import { once } from 'node:events'
import { createServer, type AddressInfo, type Socket } from 'node:net'
import t from 'tap'
import { buildApp } from '../../src/app.ts'
import { createDb, isDatabaseUnreachable } from '../../src/db/index.ts'
import { queues, type FanoutJobData, type MailJobData, type WebhookJobData } from '../../src/jobs/index.ts'
import { relayOutbox } from '../../src/modules/outbox/relay.ts'
import { startWorkers } from '../../workers/start.ts'
import { confirmPath, eventually, liveCampaign, openQueue, setup, signer, sleep, type TestEnv } from '../helper.ts'
import { privatePostgres } from './private-postgres.ts'

const countOf = async (env: TestEnv, slug: string) =>
  (await env.app.inject({ url: `/api/v1/campaigns/${slug}` })).json().signatureCount as number

t.test('Postgres down: 503s with Retry-After; back: signing, emails and counts resume', async (t) => {
  const postgres = await privatePostgres(t)
  const env = await setup(t, { databaseUrl: postgres.url, workers: false })
  const lines: string[] = []
  const keep = (level: string) => (obj: object, msg?: string) =>
    void lines.push(`${level} ${msg} ${JSON.stringify(obj)}`)
  env.workers = await startWorkers({
    config: env.config,
    db: env.db,
    logger: { info: keep('info'), warn: keep('warn'), error: keep('error') },
  })
  const slug = await liveCampaign(env)
  const before = { ...signer, email: 'before@example.org' }
  t.equal(
    (await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: before })).statusCode,
    202,
  )
  const [firstMail] = await env.smtp.waitFor(1, 15_000)
  // Stopped only once the worker has marked its row sent: stopped between the SMTP answer and
  // that mark, the job is retried and the email sent twice (at least once, by design).
  await eventually(
    async () => !(await env.db.selectFrom('outbox').select('id').where('done_at', 'is', null).executeTakeFirst()),
    15_000,
    'the first email marked sent',
  )

  await postgres.stop()
  const ready = await env.app.inject({ url: '/readyz' })
  t.equal(ready.statusCode, 503)
  t.match(ready.json(), { postgres: 'down', redis: 'ok' })

  const during = { ...signer, email: 'during@example.org' }
  const refused = await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: during })
  t.equal(refused.statusCode, 503, 'a signature that cannot be stored is refused, not half-taken')
  t.same(refused.json(), { error: 'unavailable', message: 'A service we depend on is unavailable.' })
  t.equal(refused.headers['retry-after'], '5')
  const form = await env.app.inject({
    method: 'POST',
    url: `/campaigns/${slug}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(during).toString(),
  })
  t.equal(form.statusCode, 503, 'the form gets an error page, not a crash')
  t.match(form.headers['content-type'], /text\/html/)
  const confirm = await env.app.inject({ method: 'POST', url: confirmPath(firstMail!) })
  t.equal(confirm.statusCode, 503, 'a confirmation waits for the database')
  await sleep(1500) // the relay (every 50 ms), the count flusher (100 ms) and the listener fail meanwhile
  const said = (what: string) => lines.filter((l) => l.includes(what)).length
  t.equal(said('outbox relay failing'), 1, 'the relay says so once, not at every tick')
  t.equal(said('count flush failing'), 1, 'so does the count flusher')
  t.equal(said('outbox listener lost its connection'), 1)

  await postgres.start()
  await eventually(async () => (await env.app.inject({ url: '/readyz' })).statusCode === 200, 20_000, 'ready again')
  t.equal(
    (await env.app.inject({ method: 'POST', url: confirmPath(firstMail!) })).statusCode,
    200,
    'the same link confirms now',
  )
  t.equal(
    (await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: during })).statusCode,
    202,
  )
  const [, secondMail] = await env.smtp.waitFor(2, 30_000)
  t.match(secondMail!.envelopeTo, ['during@example.org'], 'the outbox relays again')
  t.equal((await env.app.inject({ method: 'POST', url: confirmPath(secondMail!) })).statusCode, 200)
  await eventually(async () => (await countOf(env, slug)) === 2, 20_000, 'both signatures counted')
  t.equal(await countOf(env, slug), 2)
})

t.test('a mail job taken while Postgres is down waits for it without spending an attempt', async (t) => {
  const postgres = await privatePostgres(t)
  const env = await setup(t, { databaseUrl: postgres.url, workers: false })
  const slug = await liveCampaign(env)
  t.equal(
    (await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: signer })).statusCode,
    202,
  )
  // Relayed by hand, so that the job is in Redis before any worker runs.
  const mail = openQueue<MailJobData>(t, env, queues.mail)
  const alerts = openQueue<FanoutJobData>(t, env, queues.alerts)
  const webhooks = openQueue<WebhookJobData>(t, env, queues.webhooks)
  t.equal(await relayOutbox(env.db, { mail, alerts, webhooks }), 1)
  const [job] = await mail.getWaiting()

  await postgres.stop()
  await env.startWorkers()
  await eventually(async () => (await mail.getJob(job!.id!))?.attemptsStarted, 10_000, 'the worker to take the job')
  await sleep(1500)
  t.equal(env.smtp.messages.length, 0)
  await postgres.start()
  const [sent] = await env.smtp.waitFor(1, 30_000)
  t.match(sent!.parsed.subject, /Confirm your signature/)
  // The email reaches the SMTP server a moment before BullMQ records the job as completed.
  await eventually(async () => (await mail.getJobState(job!.id!)) === 'completed', 10_000, 'the job to complete')
  const done = await mail.getJob(job!.id!)
  t.equal(done!.attemptsMade, 1, 'the outage spent no attempt')
})

t.test('a database that takes connections and never answers: 503s in seconds, not a hang', async (t) => {
  // A partition, or a server stuck: the TCP connection opens, and nothing comes back.
  const sockets = new Set<Socket>()
  const blackHole = createServer((socket) => sockets.add(socket)).listen(0, '127.0.0.1')
  await once(blackHole, 'listening')
  t.teardown(() => {
    for (const socket of sockets) socket.destroy()
    blackHole.close()
  })
  const env = await setup(t, { workers: false })
  const url = `postgres://postgres@127.0.0.1:${(blackHole.address() as AddressInfo).port}/urgent_action`
  const db = createDb(url)
  const app = await buildApp({ config: { ...env.config, databaseUrl: url }, db })
  t.teardown(async () => {
    await app.close()
    await db.destroy()
  })

  const ready = await app.inject({ url: '/readyz' })
  t.equal(ready.statusCode, 503)
  t.match(ready.json(), { postgres: 'down', redis: 'ok' })
  const res = await app.inject({ url: '/api/v1/campaigns' })
  t.equal(res.statusCode, 503, 'the pool gives up connecting, and the request says so')
  t.equal(res.json().error, 'unavailable')
})

t.test('what counts as the database being unreachable', async (t) => {
  const coded = (code: string) => Object.assign(new Error('x'), { code })
  for (const code of ['ECONNREFUSED', 'ECONNRESET', '57P01', '57P03', '08006', '08001', '53300'])
    t.ok(isDatabaseUnreachable(coded(code)), code)
  t.ok(isDatabaseUnreachable(new Error('Connection terminated unexpectedly')))
  t.ok(isDatabaseUnreachable(new Error('Connection terminated due to connection timeout')))
  t.ok(isDatabaseUnreachable(new Error('timeout expired')), "a new connection's own timeout")
  t.notOk(
    isDatabaseUnreachable(new Error('timeout exceeded when trying to connect')),
    "a busy pool's wait is load, not an outage",
  )
  for (const code of ['23505', '42P01', '22P02', '40001'])
    t.notOk(isDatabaseUnreachable(coded(code)), `${code} is the query's, a 500 or handled`)
  t.notOk(isDatabaseUnreachable(new Error('something else')))
  t.notOk(isDatabaseUnreachable(undefined))
})
