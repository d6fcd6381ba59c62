// A deliveries job that fails for good (its attempts spent on a failure no retry cures) marks
// what it left unsent as failed, with the reason: the alert's progress says so and the alert
// completes, instead of showing rows queued for ever that no job will send.
import { Queue } from 'bullmq'
import { sql } from 'kysely'
import t, { type Test } from 'tap'
import type { DeliveryJobData } from '../../src/jobs/index.ts'
import { fanOut } from '../../src/modules/alerts/fanout.ts'
import { runDigest } from '../../src/modules/digests/service.ts'
import type { EmailRenderer } from '../../src/mail/render.ts'
import { createMailer } from '../../src/mail/transport.ts'
import { createDeliveriesWorker, isLastAttempt } from '../../workers/deliveries.worker.ts'
import { eventually, redisConnection, setup, type TestEnv } from '../helper.ts'
import { progressOf, publish } from './helpers.ts'

async function subscribers(env: TestEnv, n: number, frequency: 'immediate' | 'daily') {
  await sql`
    insert into subscribers (email, email_key, status, topic_all, frequency, nonce, confirmed_at)
    select 'gave-up' || i || '@example.org', 'gave-up' || i || '@example.org', 'active', true, ${frequency},
      decode(md5('g' || i), 'hex'), now()
    from generate_series(1, ${n}::int) as i`.execute(env.db)
}

/**
 * The deliveries queue with two attempts a job, and a worker on it whose email template throws
 * (a bug no retry cures). Counts the renders and keeps the worker's log lines.
 */
function brokenWorker(t: Test, env: TestEnv) {
  const connection = redisConnection(t, env)
  const queue = new Queue<DeliveryJobData>('deliveries', {
    connection,
    prefix: env.config.queuePrefix,
    defaultJobOptions: { attempts: 2, backoff: { type: 'fixed', delay: 100 } },
  })
  const state = { renders: 0, lines: [] as string[] }
  const render: EmailRenderer = () => {
    state.renders++
    throw new Error('template bug')
  }
  const keep = (level: string) => (obj: object, msg?: string) => void state.lines.push(`${level} ${msg} ${JSON.stringify(obj)}`)
  const logger = { info: keep('info'), warn: keep('warn'), error: keep('error') }
  const mailer = createMailer(env.config)
  const worker = createDeliveriesWorker({ config: env.config, db: env.db, connection, logger }, { db: env.db, config: env.config, mailer, render }, queue)
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

  const alert = await eventually(async () => {
    const row = await env.db.selectFrom('alerts').select('status').where('id', '=', alertId).executeTakeFirstOrThrow()
    return row.status === 'done' ? row : undefined
  }, 20_000, 'the alert to be done')
  t.equal(alert.status, 'done')
  t.equal(state.renders, 2, 'the first failure was retried; only the second, the last attempt, gave up')
  const rows = await env.db.selectFrom('deliveries').select(['status', 'smtp_response']).where('alert_id', '=', alertId).execute()
  t.same(rows.map((r) => r.status), ['failed', 'failed', 'failed'])
  for (const row of rows) t.equal(row.smtp_response, 'not sent, gave up: template bug')
  t.match(await progressOf(env, alertId, headers), { status: 'done', recipients: 3, failed: 3, queued: 0, sent: 0 })
  t.equal(state.lines.filter((l) => l.includes('failed for good')).length, 1, 'said once, for the last attempt')
  t.match(state.lines.find((l) => l.includes('failed for good')), /"rows":3/)
  t.equal(env.smtp.messages.length, 0)
})

t.test('a digest batch that fails for good: its digests failed with the reason', async (t) => {
  const env = await setup(t, { workers: false })
  await subscribers(env, 2, 'daily')
  const { queue, state } = brokenWorker(t, env)
  await publish(env)
  t.equal(await runDigest(env.db, queue, '2026-01-01', new Date()), 2)

  const rows = await eventually(async () => {
    const found = await env.db.selectFrom('digests').select(['status', 'smtp_response']).execute()
    return found.every((r) => r.status === 'failed') ? found : undefined
  }, 20_000, 'the digests to be marked failed')
  t.same(rows.map((r) => r.smtp_response), ['not sent, gave up: template bug', 'not sent, gave up: template bug'])
  t.ok(state.renders >= 2, 'each attempt tried to render')
  const subscribersRows = await env.db.selectFrom('subscribers').select('last_digest_at').execute()
  t.ok(subscribersRows.every((r) => r.last_digest_at === null), 'the next digest still starts where this one would have')
})

t.test('the last attempt is the one BullMQ will not retry', async (t) => {
  const { UnrecoverableError } = await import('bullmq')
  const job = (attemptsMade: number, attempts?: number) => ({ attemptsMade, opts: attempts === undefined ? {} : { attempts } })
  t.equal(isLastAttempt(job(0), new Error('x')), true, 'no attempts set: one attempt')
  t.equal(isLastAttempt(job(0, 10), new Error('x')), false)
  t.equal(isLastAttempt(job(9, 10), new Error('x')), true)
  t.equal(isLastAttempt(job(0, 10), new UnrecoverableError('x')), true, 'unrecoverable: no retry')
})
