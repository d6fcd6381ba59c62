// As worker-kill.test.ts, for a campaign update's fan-out to its signers: the worker is killed
// (SIGKILL) mid fan-out and started again; every signer gets the update, and duplicates are no
// more than the sends in flight at the kill.
import { once } from 'node:events'
import { sql } from 'kysely'
import t from 'tap'
import { DELIVERY_BATCH } from '../../src/jobs/index.ts'
import { batchesInFlight } from '../../workers/deliveries.worker.ts'
import { systemActor } from '../../src/modules/audit/service.ts'
import { createCampaign, launchCampaign } from '../../src/modules/campaigns/service.ts'
import { postUpdate } from '../../src/modules/updates/service.ts'
import { countingSmtp, startWorker } from './worker-process.ts'
import { createTestDb, eventually, REDIS_URL, uniqueName } from '../helper.ts'

// Test data, set up as an operator would, outside the console and the API.
const fixtures = systemActor('cli')

const SUBSCRIBERS = 5000
const CONCURRENCY = 10

t.test(
  'SIGKILL mid update fan-out, restart: every signer gets it; duplicates bounded by sends in flight',
  async (t) => {
    const { db, url } = await createTestDb(t)
    const smtp = await countingSmtp(t)
    await createCampaign(db, fixtures, {
      slug: 'killed',
      title: 'Killed mid fan-out',
      summary: 'S',
      body: 'B',
      target: 'T',
      asks: ['A'],
      goal: 100,
      deadline: null,
      locale: 'en',
    })
    const campaign = await launchCampaign(db, fixtures, 'killed')
    await sql`
    insert into signatures (campaign_id, name, email, email_key, country, locale, status, confirm_nonce,
      confirm_expires_at, confirmed_at)
    select ${campaign.id}::bigint, 'S', 'sig' || i || '@example.org', 'sig' || i || '@example.org', 'KR', 'en',
      'confirmed', decode(md5(i::text), 'hex'), now() + interval '1 day', now()
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

    const { alertId } = await postUpdate(db, fixtures, 'killed', {
      kind: 'update',
      title: 'News',
      body: 'Something happened.',
      notify: true,
    })
    const alert = () =>
      db
        .selectFrom('alerts')
        .select(['fanout_cursor', 'fanned_out_at'])
        .where('id', '=', alertId!)
        .executeTakeFirstOrThrow()
    const sentCount = async () =>
      Number(
        (
          await sql<{
            n: string
          }>`select count(*) as n from deliveries where alert_id = ${alertId} and status = 'sent'`.execute(db)
        ).rows[0]!.n,
      )

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
    await new Promise((r) => setTimeout(r, 300))
    const receivedAtKill = new Set(smtp.received.keys())
    const atKill = await alert()
    const claimed = (
      await sql<{ email: string }>`
      select g.email from deliveries d join signatures g on g.id = d.signature_id
      where d.alert_id = ${alertId} and d.status = 'sending'`.execute(db)
    ).rows.map((r) => r.email)
    const inFlight = claimed.filter((email) => receivedAtKill.has(email)).length
    t.equal(atKill.fanned_out_at, null, 'killed before the fan-out finished')

    worker = startWorker(env)
    await eventually(async () => (await sentCount()) === SUBSCRIBERS, 120_000, 'every delivery to be sent')

    const missing = Array.from({ length: SUBSCRIBERS }, (_, i) => `sig${i + 1}@example.org`).filter(
      (a) => !smtp.received.has(a),
    )
    t.same(missing, [], 'every signer got the update')
    const duplicates = [...smtp.received.values()].reduce((sum, n) => sum + n - 1, 0)
    t.comment(`claimed at the kill: ${claimed.length}; in flight: ${inFlight}; duplicates: ${duplicates}`)
    t.ok(duplicates <= inFlight, `duplicates (${duplicates}) <= sends in flight at the kill (${inFlight})`)
    const most = batchesInFlight(CONCURRENCY) * DELIVERY_BATCH
    t.ok(claimed.length <= most, `claimed (${claimed.length}) <= batches in flight x batch size (${most})`)
    const rows = await db
      .selectFrom('deliveries')
      .select(sql<string>`count(*)`.as('n'))
      .where('alert_id', '=', alertId!)
      .executeTakeFirstOrThrow()
    t.equal(Number(rows.n), SUBSCRIBERS, 'one delivery row per signer')
  },
)
