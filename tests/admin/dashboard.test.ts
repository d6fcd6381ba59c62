// The console's home (issue 18, point 11): the numbers it shows for seeded data, "today" cut at
// the organizer's own midnight, and the failures only admins see.
import { randomBytes } from 'node:crypto'
import { UnrecoverableError, Worker } from 'bullmq'
import { sql } from 'kysely'
import t from 'tap'
import type { Db } from '../../src/db/index.ts'
import { Redis } from 'ioredis'
import { dashboardOf, liveCampaignFigures } from '../../src/modules/dashboard/service.ts'
import { openOperatorQueues } from '../../src/modules/queues/service.ts'
import { publish } from '../alerts/helpers.ts'
import { eventually, liveCampaign, loginAs, openQueue, redisConnection, setup } from '../helper.ts'

async function campaignId(db: Db, slug: string) {
  return (await db.selectFrom('campaigns').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id
}

async function sign(db: Db, campaign: string, at: Date, o: { status?: 'confirmed' | 'pending'; held?: boolean } = {}) {
  const email = `s-${randomBytes(4).toString('hex')}@example.org`
  await db
    .insertInto('signatures')
    .values({
      campaign_id: campaign,
      name: 'Signer',
      email,
      email_key: email,
      country: 'KR',
      public_name: false,
      wants_alerts: false,
      locale: 'ko',
      status: o.status ?? 'confirmed',
      confirm_nonce: randomBytes(16),
      confirm_expires_at: new Date(Date.now() + 86_400_000),
      confirmed_at: (o.status ?? 'confirmed') === 'confirmed' ? at : null,
      held: o.held ?? false,
    })
    .execute()
}

async function subscribe(
  db: Db,
  o: { frequency: 'immediate' | 'daily'; status?: 'active' | 'pending'; campaign?: string; province?: string },
) {
  const email = `sub-${randomBytes(4).toString('hex')}@example.org`
  const { id } = await db
    .insertInto('subscribers')
    .values({
      email,
      email_key: email,
      nonce: randomBytes(16),
      frequency: o.frequency,
      status: o.status ?? 'active',
      topic_all: !o.campaign && !o.province,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (o.campaign)
    await db.insertInto('subscriber_campaigns').values({ subscriber_id: id, campaign_id: o.campaign }).execute()
  if (o.province)
    await db.insertInto('subscriber_provinces').values({ subscriber_id: id, province: o.province }).execute()
}

const dd = (body: string, slug: string, cls: 'total' | 'today') =>
  new RegExp(`id="campaign-${slug}"[\\s\\S]*?<dd class="${cls}">([^<]*)</dd>`).exec(body)?.[1]

t.test("today's signatures are counted from the organizer's own midnight, not UTC's", async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  const id = await campaignId(env.db, slug)
  // Noon in Seoul on 7 December is 03:00 UTC; Seoul's day began at 15:00 UTC on the 6th.
  const now = new Date('2026-12-07T03:00:00Z')
  await sign(env.db, id, new Date('2026-12-06T15:00:01Z')) // Seoul: today; UTC: the 6th
  await sign(env.db, id, new Date('2026-12-06T14:59:59Z')) // Seoul: the 6th; UTC: the 6th
  await sign(env.db, id, new Date('2026-12-07T00:30:00Z')) // both: today
  await sign(env.db, id, new Date('2026-12-07T02:00:00Z'), { held: true }) // held for review: not counted
  await sign(env.db, id, new Date('2026-12-07T02:00:00Z'), { status: 'pending' }) // never confirmed
  await sign(env.db, id, new Date('2026-11-01T00:00:00Z')) // before the chart's days

  const [seoul] = await liveCampaignFigures(env.db, { timeZone: 'Asia/Seoul', now })
  t.equal(seoul!.today, 2)
  t.equal(seoul!.days.length, 14)
  t.same(seoul!.days.slice(-2), [
    { day: '2026-12-06', count: 1 },
    { day: '2026-12-07', count: 2 },
  ])
  t.equal(seoul!.days[0]!.day, '2026-11-24', 'fourteen days, today included')
  const [utc] = await liveCampaignFigures(env.db, { timeZone: 'UTC', now })
  t.equal(utc!.today, 1)
  t.same(utc!.days.slice(-2), [
    { day: '2026-12-06', count: 2 },
    { day: '2026-12-07', count: 1 },
  ])
  // Los Angeles is still on the 6th (19:00): everything so far is its "today".
  const [la] = await liveCampaignFigures(env.db, { timeZone: 'America/Los_Angeles', now })
  t.equal(la!.today, 3)
})

t.test('the dashboard page: counts, today around the real local midnight, subscribers, alerts, outbox', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  const id = await campaignId(env.db, slug)
  const other = await liveCampaign(env)
  await env.db.updateTable('campaigns').set({ status: 'closed' }).where('slug', '=', other).execute()

  const { client } = await loginAs(env, 'organizer')
  await client.get('/admin/account')
  const saved = await client.post('/admin/account/settings', { locale: 'en', timeZone: 'Asia/Seoul' })
  t.equal(saved.statusCode, 303)

  const { rows } = await sql<{ midnight: Date }>`
    select date_trunc('day', now() at time zone 'Asia/Seoul') at time zone 'Asia/Seoul' as midnight`.execute(env.db)
  const midnight = rows[0]!.midnight.getTime()
  await sign(env.db, id, new Date(midnight + 1000))
  await sign(env.db, id, new Date(midnight + 2000))
  await sign(env.db, id, new Date(midnight - 1000))
  await sql`update campaigns set signature_count = 3 where id = ${id}`.execute(env.db)

  await subscribe(env.db, { frequency: 'immediate' })
  await subscribe(env.db, { frequency: 'immediate' })
  await subscribe(env.db, { frequency: 'daily' })
  await subscribe(env.db, { frequency: 'daily', status: 'pending' })
  await subscribe(env.db, { frequency: 'daily', campaign: id })
  await subscribe(env.db, { frequency: 'immediate', province: 'Jilin' })

  // Published with no worker running: the alert waits to fan out and its outbox row to be relayed.
  const { alertId } = await publish(env)
  const done = await publish(env)
  await env.db.updateTable('alerts').set({ status: 'done' }).where('id', '=', done.alertId).execute()

  const page = await client.get('/admin')
  t.equal(page.statusCode, 200)
  t.match(page.body, '<h1>Dashboard</h1>')
  t.match(page.body, 'Days and times in Asia/Seoul')
  t.equal(dd(page.body, slug, 'total'), '3', 'the stored count')
  t.equal(dd(page.body, slug, 'today'), '2', "the two after Seoul's midnight, not the one a second before")
  t.notMatch(page.body, `id="campaign-${other}"`, 'a closed campaign is not listed')
  t.match(page.body, new RegExp(`<svg class="chart day-chart"[^>]*aria-labelledby="chart-${slug}"`))
  t.match(page.body, /Signatures per day from [^:]+: 3 in all, at most 2 in a day\./)
  t.notMatch(page.body, /<script/, 'no script')

  const topics = /<table id="topics">[\s\S]*?<\/table>/.exec(page.body)![0]
  t.match(topics, /<th scope="row">Everything<\/th><td class="num">2<\/td><td class="num">1<\/td>/)
  t.match(
    topics,
    new RegExp(`<a href="/admin/campaigns/${slug}">[^<]+</a></th><td class="num">0</td><td class="num">1</td>`),
  )
  t.match(topics, /<th scope="row">Jilin<\/th><td class="num">1<\/td><td class="num">0<\/td>/)

  const alerts = /<table id="alerts">[\s\S]*?<\/table>/.exec(page.body)![0]
  t.match(alerts, `href="/admin/alerts/${alertId}"`)
  t.notMatch(alerts, `href="/admin/alerts/${done.alertId}"`, 'a finished alert is not in progress')
  t.match(alerts, /GMT\+9/, 'its start in the organizer’s zone')

  const unrelayed = await env.db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('relayed_at', 'is', null)
    .executeTakeFirstOrThrow()
  t.ok(Number(unrelayed.n) >= 1)
  t.match(page.body, `Not yet handed to a queue: ${unrelayed.n}`)

  const korean = await client.get('/admin?lang=ko')
  t.match(korean.body, '<h1>대시보드</h1>')
  t.equal(dd(korean.body, slug, 'today'), '2')
})

t.test('the last failures: webhook deliveries given up for everyone, failed jobs for admins', async (t) => {
  const env = await setup(t, { workers: false })
  const mail = openQueue(t, env, 'mail')
  await mail.add('send', { outboxId: '1' }, { jobId: 'outbox-1' })
  const worker = new Worker(
    'mail',
    async () => {
      throw new UnrecoverableError('550 5.1.1 <kim.minji@example.org>: Recipient address rejected')
    },
    { connection: redisConnection(t, env), prefix: env.config.queuePrefix },
  )
  await eventually(async () => (await mail.getJobCounts('failed')).failed === 1, 10_000, 'a failed job')
  await worker.close()

  const hook = await env.db
    .insertInto('webhooks')
    .values({
      url: 'https://93.184.216.34/h?token=secret-of-receiver',
      events: ['report.published'],
      secret: 'whsec_x',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await env.db
    .insertInto('webhook_deliveries')
    .values({
      webhook_id: hook.id,
      event: 'report.published',
      payload: '{}',
      status: 'failed',
      attempts: 15,
      settled_at: new Date(),
    })
    .execute()

  const organizer = await loginAs(env, 'organizer')
  const seen = await organizer.client.get('/admin')
  const webhooks = /<table id="webhook-failures">[\s\S]*?<\/table>/.exec(seen.body)![0]
  t.match(
    webhooks,
    `<td class="endpoint"><a href="/admin/webhooks/${hook.id}" class="break">https://93.184.216.34/h</a>`,
  )
  t.notMatch(seen.body, 'secret-of-receiver', "the endpoint's query is not shown")
  t.match(webhooks, /<td class="num">15<\/td>/)
  t.notMatch(seen.body, 'id="job-failures', 'jobs are for admins, as the queues page is')

  const admin = await loginAs(env, 'admin')
  const page = await admin.client.get('/admin')
  const jobs = /<table id="job-failures">[\s\S]*?<\/table>/.exec(page.body)![0]
  t.match(jobs, '<a href="/admin/queues#queue-mail">mail</a>')
  t.match(jobs, '…@example.org', 'the address is masked')
  t.notMatch(jobs, 'kim.minji')
})

t.test('GET /admin is the console home: logins land there, anonymous readers go to the login', async (t) => {
  const env = await setup(t, { workers: false })
  const anonymous = await env.app.inject({ url: '/admin' })
  t.equal(anonymous.statusCode, 303)
  t.equal(anonymous.headers.location, '/admin/login?next=%2Fadmin')
  const { client, email, password } = await loginAs(env, 'organizer')
  await client.post('/admin/logout')
  const login = await client.login(email, password)
  t.equal(login.headers.location, '/admin')
  t.match((await client.get('/admin')).body, '<h1>Dashboard</h1>')
  await client.post('/admin/logout')
  await client.get('/admin/login?next=%2Fadmin%2Freports')
  const next = await client.post('/admin/login', { email, password, next: '/admin/reports' })
  t.equal(next.headers.location, '/admin/reports', 'a page asked for still comes first')
  t.match((await client.get('/admin')).body, '<h1>Dashboard</h1>')
})

t.test('failed jobs that cannot be read (Redis gone) leave the rest of the dashboard', async (t) => {
  const env = await setup(t, { workers: false })
  // A Redis that is not there: nothing listens on port 1, and no command waits for it.
  const gone = new Redis('redis://127.0.0.1:1', {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  })
  gone.on('error', () => {})
  const queues = openOperatorQueues(gone, env.config.queuePrefix, () => {})
  t.teardown(() => gone.disconnect())
  const slug = await liveCampaign(env)
  const d = await dashboardOf(env.db, { timeZone: 'UTC', now: new Date(), queues })
  t.equal(d.failures.jobs, 'unavailable')
  t.equal(d.campaigns[0]?.slug, slug, 'the campaigns still show')
})
