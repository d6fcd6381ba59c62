// A deliveries job that fails for good (its attempts spent on a failure no retry cures) marks
// what it left unsent as failed, with the reason: the alert's progress says so and the alert
// completes, instead of showing rows queued for ever that no job will send.
import { Queue } from 'bullmq'
import { sql } from 'kysely'
import t, { type Test } from 'tap'
import type { DeliveryJobData } from '../../src/jobs/index.ts'
import { fanOut } from '../../src/modules/alerts/fanout.ts'
import { runDigest } from '../../src/modules/digests/service.ts'
import { createEmailRenderer, type EmailRenderer } from '../../src/mail/render.ts'
import { createMailer, type Mailer } from '../../src/mail/transport.ts'
import { createComposer } from '../../src/present/mail.ts'
import { createDeliveriesWorker } from '../../workers/deliveries.worker.ts'
import { eventually, redisConnection, setup, sleep, type TestEnv } from '../helper.ts'
import { progressOf, publish } from './helpers.ts'

async function subscribers(env: TestEnv, n: number, frequency: 'immediate' | 'daily') {
  await sql`
    insert into subscribers (email, email_key, status, topic_all, frequency, nonce, confirmed_at)
    select 'gave-up' || i || '@example.org', 'gave-up' || i || '@example.org', 'active', true, ${frequency},
      decode(md5('g' || i), 'hex'), now()
    from generate_series(1, ${n}::int) as i`.execute(env.db)
}

const templateBug: EmailRenderer = () => {
  throw new Error('template bug')
}

/**
 * The deliveries queue with two attempts a job, and a worker on it rendering with `render`
 * (by default a template that throws: a bug no retry cures). Counts the renders and keeps the
 * worker's log lines.
 */
function brokenWorker(t: Test, env: TestEnv, render: EmailRenderer = templateBug) {
  const connection = redisConnection(t, env)
  const queue = new Queue<DeliveryJobData>('deliveries', {
    connection,
    prefix: env.config.queuePrefix,
    defaultJobOptions: { attempts: 2, backoff: { type: 'fixed', delay: 100 } },
  })
  queue.on('error', () => {}) // Redis is there for the whole test; an error would fail it elsewhere
  const state = { renders: 0, lines: [] as string[] }
  const counted: EmailRenderer = (...args) => {
    state.renders++
    return render(...args)
  }
  const keep = (level: string) => (obj: object, msg?: string) =>
    void state.lines.push(`${level} ${msg} ${JSON.stringify(obj)}`)
  const logger = { info: keep('info'), warn: keep('warn'), error: keep('error') }
  const mailer = createMailer(env.config)
  const worker = createDeliveriesWorker(
    { config: env.config, db: env.db, connection, logger },
    {
      db: env.db,
      config: env.config,
      mailer,
      compose: createComposer({ db: env.db, config: env.config, render: counted }),
    },
    queue,
  )
  // Last first: the worker, then the queue and mailer, then (registered earlier) the connection.
  t.teardown(() => mailer.close())
  t.teardown(() => queue.close())
  t.teardown(() => worker.close())
  return { queue, state }
}

t.test('an alert batch that fails for good: its deliveries failed with the reason, the alert done', async (t) => {
  const env = await setup(t, { workers: false })
  await subscribers(env, 3, 'immediate')
  const { queue, state } = brokenWorker(t, env)
  const { alertId, headers } = await publish(env)
  await fanOut(env.db, queue, alertId)

  // Logged once the rows are marked and the alert completed.
  await eventually(async () => state.lines.some((l) => l.includes('failed for good')), 20_000, 'the give-up')
  const alert = await env.db.selectFrom('alerts').select('status').where('id', '=', alertId).executeTakeFirstOrThrow()
  t.equal(alert.status, 'done')
  t.equal(state.renders, 2, 'the first failure was retried; only the second, the last attempt, gave up')
  const rows = await env.db
    .selectFrom('deliveries')
    .select(['status', 'smtp_response'])
    .where('alert_id', '=', alertId)
    .execute()
  t.same(
    rows.map((r) => r.status),
    ['failed', 'failed', 'failed'],
  )
  for (const row of rows) t.equal(row.smtp_response, 'not sent, gave up: template bug')
  t.match(await progressOf(env, alertId, headers), { status: 'done', recipients: 3, failed: 3, queued: 0, sent: 0 })
  t.equal(state.lines.filter((l) => l.includes('failed for good')).length, 1, 'said once, for the last attempt')
  t.match(
    state.lines.find((l) => l.includes('failed for good')),
    /"rows":3/,
  )
  t.equal(env.smtp.messages.length, 0)
})

t.test('a digest batch that fails for good: its digests failed with the reason', async (t) => {
  const env = await setup(t, { workers: false })
  await subscribers(env, 2, 'daily')
  const { queue, state } = brokenWorker(t, env)
  await publish(env)
  t.equal(await runDigest(env.db, queue, '2026-01-01', new Date()), 2)

  const rows = await eventually(
    async () => {
      const found = await env.db.selectFrom('digests').select(['status', 'smtp_response']).execute()
      return found.every((r) => r.status === 'failed') ? found : undefined
    },
    20_000,
    'the digests to be marked failed',
  )
  t.same(
    rows.map((r) => r.smtp_response),
    ['not sent, gave up: template bug', 'not sent, gave up: template bug'],
  )
  t.equal(state.renders, 4, 'two digests, each rendered on both attempts: the first attempt gave its claims back')
  const subscribersRows = await env.db.selectFrom('subscribers').select('last_digest_at').execute()
  t.ok(
    subscribersRows.every((r) => r.last_digest_at === null),
    'the next digest still starts where this one would have',
  )
})

t.test('a digest sent but not recorded keeps its claim: the retry does not send it again at once', async (t) => {
  const env = await setup(t, { workers: false })
  await subscribers(env, 1, 'daily')
  // Postgres refuses to record the send, as it would on a lock timeout or a restart.
  await sql`
    create function refuse_sent() returns trigger language plpgsql as $$
    begin
      if new.status = 'sent' then raise exception 'could not record the send'; end if;
      return new;
    end $$`.execute(env.db)
  await sql`create trigger refuse_sent before update on digests for each row execute function refuse_sent()`.execute(
    env.db,
  )
  const { queue, state } = brokenWorker(t, env, createEmailRenderer(env.config))
  await publish(env)
  t.equal(await runDigest(env.db, queue, '2026-01-01', new Date()), 1)

  await env.smtp.waitFor(1, 20_000)
  await eventually(
    async () => state.lines.some((l) => l.includes('could not record the send')),
    20_000,
    'the failed attempt',
  )
  // The retry (100 ms later) has run once the job has started twice: it found the digest claimed.
  await eventually(
    async () => ((await queue.getJobs(['delayed', 'wait', 'active']))[0]?.attemptsStarted ?? 0) >= 2,
    20_000,
    'the retry',
  )
  await sleep(200)
  t.equal(env.smtp.messages.length, 1, 'sent once')
  const row = await env.db.selectFrom('digests').select('status').executeTakeFirstOrThrow()
  t.equal(row.status, 'sending', 'held until the claim goes stale, not given back')
})

t.test(
  'a batch that stalls its workers until BullMQ gives up on it: its claimed rows failed, the alert done',
  async (t) => {
    // Jobs locked for 2 s: a worker that stops renewing the lock has stalled 2 to 4 s later.
    const env = await setup(t, { workers: false, env: { JOB_LOCK_SECONDS: '2' } })
    await subscribers(env, 2, 'immediate')
    const connection = redisConnection(t, env)
    const queue = new Queue<DeliveryJobData>('deliveries', {
      connection,
      prefix: env.config.queuePrefix,
      defaultJobOptions: { attempts: 10 },
    })
    queue.on('error', () => {})
    t.teardown(() => queue.close())
    const lines: string[] = []
    const keep = (level: string) => (obj: object, msg?: string) =>
      void lines.push(`${level} ${msg} ${JSON.stringify(obj)}`)
    const logger = { info: keep('info'), warn: keep('warn'), error: keep('error') }
    // A process whose send never returns: it hangs on the batch, as one killed mid-send would.
    let sends = 0
    const hangs: Mailer = { send: () => (sends++, new Promise(() => {})), close() {} }
    const start = () => {
      const worker = createDeliveriesWorker(
        { config: env.config, db: env.db, connection, logger },
        { db: env.db, config: env.config, mailer: hangs, compose: createComposer({ db: env.db, config: env.config }) },
        queue,
      )
      t.teardown(() => worker.close(true))
      return worker
    }
    const { alertId } = await publish(env)
    await fanOut(env.db, queue, alertId)

    const first = start()
    await eventually(async () => sends > 0, 10_000, 'the first process to claim the batch and hang')
    await first.close(true) // it dies: its lock is no longer renewed
    const second = start()
    // The stalled check puts the batch back once; the second process takes over the claims once
    // they are stale (twice the lock) and hangs in its turn.
    await eventually(async () => sends > 2, 30_000, 'the second process to take the batch over and hang')
    await second.close(true)
    start() // the third finds the batch stalled a second time: BullMQ fails it for good

    await eventually(async () => lines.some((l) => l.includes('failed for good')), 30_000, 'the give-up')
    const alert = await env.db.selectFrom('alerts').select('status').where('id', '=', alertId).executeTakeFirstOrThrow()
    t.equal(alert.status, 'done')
    const rows = await env.db
      .selectFrom('deliveries')
      .select(['status', 'smtp_response'])
      .where('alert_id', '=', alertId)
      .execute()
    t.same(
      rows.map((r) => r.status),
      ['failed', 'failed'],
      'the rows the dead process had claimed, freshly, failed too',
    )
    for (const row of rows) t.match(row.smtp_response, /^not sent, gave up: job stalled more than allowable limit/)
    t.ok(lines.some((l) => l.includes('failed for good') && l.includes('"rows":2')))
  },
)
