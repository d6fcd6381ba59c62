// The worker is killed (SIGKILL) in the middle of a fan-out and started again: every
// recipient gets the alert, and duplicates are no more than the sends in flight at the kill:
// messages the SMTP server had taken whose delivery row was not yet recorded as sent.
import { once } from 'node:events'
import { sql } from 'kysely'
import t from 'tap'
import { DELIVERY_BATCH } from '../../src/jobs/index.ts'
import { batchesInFlight } from '../../workers/deliveries.worker.ts'
import { systemActor } from '../../src/modules/audit/service.ts'
import { publishReport } from '../../src/modules/reports/service.ts'
import { createReport } from '../../src/modules/reports/service.ts'
import { countingSmtp, startWorker } from './worker-process.ts'
import { createTestDb, eventually, REDIS_URL, uniqueName } from '../helper.ts'

// Test data, set up as an operator would, outside the console and the API.
const fixtures = systemActor('cli')

const SUBSCRIBERS = 5000
const CONCURRENCY = 10

t.test('SIGKILL mid fan-out, restart: everyone gets the alert; duplicates bounded by sends in flight', async (t) => {
  const { db, url } = await createTestDb(t)
  const smtp = await countingSmtp(t)
  await sql`
    insert into subscribers (email, email_key, status, topic_all, nonce, confirmed_at)
    select 'sub' || i || '@example.org', 'sub' || i || '@example.org', 'active', true,
           decode(md5(i::text), 'hex'), now()
    from generate_series(1, ${SUBSCRIBERS}) as i`.execute(db)
  const env = {
    DATABASE_URL: url,
    REDIS_URL,
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}?tls=off`,
    QUEUE_PREFIX: uniqueName('uakill'),
    LOG_LEVEL: 'silent',
    FANOUT_PAGE_SIZE: '50',
    DELIVERY_CONCURRENCY: String(CONCURRENCY),
    SMTP_POOL_SIZE: '5',
    JOB_LOCK_SECONDS: '3',
    OUTBOX_POLL_MS: '50',
  }
  let worker = startWorker(env)
  t.teardown(() => worker.kill('SIGKILL'))

  const report = await createReport(db, fixtures, {
    occurredOn: '2021-07-14',
    place: { name: 'Tumen', province: 'Jilin', country: 'CN' },
    peopleCount: 325,
    kind: 'detention',
    summary: 'Held in Tumen.',
    confidence: 'credible',
  })
  const { alertId } = await publishReport(db, fixtures, report.id)
  const alert = () =>
    db
      .selectFrom('alerts')
      .select(['fanout_cursor', 'fanned_out_at'])
      .where('id', '=', alertId)
      .executeTakeFirstOrThrow()
  const sentCount = async () =>
    Number(
      (
        await sql<{
          n: string
        }>`select count(*) as n from deliveries where alert_id = ${alertId} and status = 'sent'`.execute(db)
      ).rows[0]!.n,
    )

  // Kill once sends are going and the fan-out is still paging.
  await eventually(
    async () => {
      const a = await alert()
      return Number(a.fanout_cursor) > 0 && smtp.received.size > 0 && !a.fanned_out_at
    },
    60_000,
    'the fan-out to be under way',
  )
  worker.kill('SIGKILL')
  await once(worker, 'exit')
  // Let the SMTP server finish reading what the worker wrote before it died.
  await new Promise((r) => setTimeout(r, 300))
  const receivedAtKill = new Set(smtp.received.keys())
  const atKill = await alert()
  const claimed = (
    await sql<{ email: string }>`
      select s.email from deliveries d join subscribers s on s.id = d.subscriber_id
      where d.alert_id = ${alertId} and d.status = 'sending'`.execute(db)
  ).rows.map((r) => r.email)
  const inFlight = claimed.filter((email) => receivedAtKill.has(email)).length
  t.equal(atKill.fanned_out_at, null, 'killed before the fan-out finished')
  t.ok(Number(atKill.fanout_cursor) < SUBSCRIBERS, `killed at cursor ${atKill.fanout_cursor} of ${SUBSCRIBERS}`)

  worker = startWorker(env)
  await eventually(async () => (await sentCount()) === SUBSCRIBERS, 120_000, 'every delivery to be sent')

  const missing = Array.from({ length: SUBSCRIBERS }, (_, i) => `sub${i + 1}@example.org`).filter(
    (a) => !smtp.received.has(a),
  )
  t.same(missing, [], 'every recipient got the alert')
  const duplicates = [...smtp.received.values()].reduce((sum, n) => sum + n - 1, 0)
  t.comment(
    `claimed at the kill: ${claimed.length}; of them taken by SMTP (in flight): ${inFlight}; duplicates: ${duplicates}`,
  )
  t.ok(duplicates <= inFlight, `duplicates (${duplicates}) <= sends in flight at the kill (${inFlight})`)
  const most = batchesInFlight(CONCURRENCY) * DELIVERY_BATCH
  t.ok(claimed.length <= most, `claimed (${claimed.length}) <= batches in flight x batch size (${most})`)
  const rows = await db
    .selectFrom('deliveries')
    .select(sql<string>`count(*)`.as('n'))
    .where('alert_id', '=', alertId)
    .executeTakeFirstOrThrow()
  t.equal(Number(rows.n), SUBSCRIBERS, 'one delivery row per recipient')
})
