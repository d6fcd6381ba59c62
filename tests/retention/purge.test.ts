import { randomBytes } from 'node:crypto'
import t from 'tap'
import { parseConfig } from '../../src/config.ts'
import { subscriberLinks } from '../../src/present/alerts/mail.ts'
import { flushCounts } from '../../src/modules/counts/service.ts'
import { deleteUnconfirmedSignatures } from '../../src/modules/retention/repository.ts'
import { systemActor } from '../../src/modules/audit/service.ts'
import { addressHash } from '../../src/modules/email-key.ts'
import { purgeStale } from '../../src/modules/retention/service.ts'
import { CONFIRM_PURPOSE } from '../../src/modules/signatures/service.ts'
import { confirmToken } from '../../src/security.ts'
import { activeSubscriber, jilinReport, mailsTo, progressOf, publish, settled } from '../alerts/helpers.ts'
import { eventually, liveCampaign, openQueue, setup, signer, type TestEnv } from '../helper.ts'

const DAY = 86_400_000
const daysAgo = (days: number) => new Date(Date.now() - days * DAY)

async function campaignIdOf(env: TestEnv, slug: string) {
  return (await env.db.selectFrom('campaigns').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id
}

/** A pending signature written straight to the table, its link expiring at `expires`. */
async function pendingSignature(
  env: TestEnv,
  campaignId: string,
  email: string,
  expires: Date,
  status: 'pending' | 'invalidated' = 'pending',
) {
  const invalidation =
    status === 'invalidated'
      ? await env.db
          .insertInto('invalidations')
          .values({ campaign_id: campaignId, filter: '{}', hit: 1 })
          .returning('id')
          .executeTakeFirstOrThrow()
      : undefined
  await env.db
    .insertInto('signatures')
    .values({
      campaign_id: campaignId,
      name: 'Pending',
      email,
      email_key: email,
      country: 'KR',
      comment: 'a comment',
      public_name: false,
      wants_alerts: false,
      locale: 'en',
      status: 'pending',
      confirm_nonce: randomBytes(16),
      confirm_expires_at: expires,
      ip_hash: randomBytes(32),
    })
    .execute()
  if (invalidation) {
    await env.db
      .updateTable('signatures')
      .set({ status: 'invalidated', invalidation_id: invalidation.id })
      .where('email', '=', email)
      .execute()
  }
}

const emailsOf = async (env: TestEnv, table: 'signatures' | 'subscribers') =>
  (await env.db.selectFrom(table).select('email').execute()).map((r) => r.email).sort()

/** Ages a subscriber: its unsubscribe (or, for a pending one, its link's expiry) `days` ago. */
async function ageSubscriber(env: TestEnv, email: string, days: number) {
  await env.db
    .updateTable('subscribers')
    .set({ unsubscribed_at: daysAgo(days), confirm_expires_at: daysAgo(days) })
    .where('email', '=', email)
    .execute()
}

async function unsubscribe(env: TestEnv, email: string) {
  const { nonce } = await env.db
    .selectFrom('subscribers')
    .select('nonce')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  const path = new URL(subscriberLinks(env.config, nonce, 'en').unsubscribeUrl).pathname
  const res = await env.app.inject({
    method: 'POST',
    url: path,
    payload: 'List-Unsubscribe=One-Click',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })
  if (res.statusCode !== 200) throw new Error(`unsubscribe failed: ${res.statusCode}`)
  return path
}

t.test('PENDING_RETENTION_DAYS is 7 days unless set, a whole number of days from 1 to 365', async (t) => {
  t.equal(parseConfig({}).pendingRetentionDays, 7)
  t.equal(parseConfig({ PENDING_RETENTION_DAYS: '30' }).pendingRetentionDays, 30)
  for (const bad of ['0', '366', '1.5', 'week']) {
    t.throws(() => parseConfig({ PENDING_RETENTION_DAYS: bad }), { message: /^PENDING_RETENTION_DAYS: / }, bad)
  }
})

t.test(
  'an unconfirmed signature goes once its link expired more than the window ago; confirmed ones and the count stay',
  async (t) => {
    const env = await setup(t, { workers: false })
    const slug = await liveCampaign(env)
    const campaignId = await campaignIdOf(env, slug)
    // Signed and confirmed through the API and the confirm page.
    const signed = await env.app.inject({
      method: 'POST',
      url: `/api/v1/campaigns/${slug}/signatures`,
      payload: { ...signer, comment: 'Free them' },
    })
    t.equal(signed.statusCode, 202)
    const { confirm_nonce } = await env.db.selectFrom('signatures').select('confirm_nonce').executeTakeFirstOrThrow()
    const confirmed = await env.app.inject({
      method: 'POST',
      url: `/confirm/${confirmToken(env.config.secretKey, CONFIRM_PURPOSE, confirm_nonce)}`,
    })
    t.match(confirmed.body, /your signature counts/)
    await flushCounts(env.db)
    // Its link, long used, expired a month ago: still the petition.
    await env.db
      .updateTable('signatures')
      .set({ confirm_expires_at: daysAgo(30), confirmed_at: daysAgo(31) })
      .execute()

    await pendingSignature(env, campaignId, 'expired-long-ago@example.org', daysAgo(8))
    await pendingSignature(env, campaignId, 'invalidated-unconfirmed@example.org', daysAgo(8), 'invalidated')
    await pendingSignature(env, campaignId, 'expired-lately@example.org', daysAgo(6))
    await pendingSignature(env, campaignId, 'link-still-works@example.org', new Date(Date.now() + DAY))

    const purged = await purgeStale(env.db, systemActor('retention'), env.config)
    t.equal(purged.signatures, 2)
    t.same(await emailsOf(env, 'signatures'), [
      signer.email,
      'expired-lately@example.org',
      'link-still-works@example.org',
    ])
    await flushCounts(env.db)
    const campaign = await env.app.inject({ url: `/api/v1/campaigns/${slug}` })
    t.equal(campaign.json().signatureCount, 1, 'the count is unchanged')
    const kept = await env.db
      .selectFrom('signatures')
      .select(['status', 'comment', 'ip_hash'])
      .where('email', '=', signer.email)
      .executeTakeFirstOrThrow()
    t.equal(kept.status, 'confirmed')
    t.equal(kept.comment, 'Free them')
    t.ok(kept.ip_hash, 'a confirmed signature is not touched')
  },
)

t.test(
  'subscribers who never confirmed or who left are forgotten; active ones and alert statistics stay',
  async (t) => {
    const env = await setup(t)
    for (const email of ['stays@example.org', 'left@example.org', 'left-lately@example.org']) {
      await activeSubscriber(env, email, { topics: { provinces: ['Jilin'] } })
    }
    const first = await publish(env)
    const before = await settled(env, first.alertId, first.headers)
    t.match(before, { recipients: 3, sent: 3 })
    const leftLink = await unsubscribe(env, 'left@example.org')
    await unsubscribe(env, 'left-lately@example.org')
    await activeSubscriber(env, 'left-before-any-alert@example.org')
    await unsubscribe(env, 'left-before-any-alert@example.org')
    for (const email of ['never-confirmed@example.org', 'still-may-confirm@example.org']) {
      t.equal(
        (await env.app.inject({ method: 'POST', url: '/api/v1/subscribers', payload: { email } })).statusCode,
        202,
      )
    }
    await ageSubscriber(env, 'left@example.org', 8)
    await ageSubscriber(env, 'left-before-any-alert@example.org', 8)
    await ageSubscriber(env, 'never-confirmed@example.org', 8)
    await ageSubscriber(env, 'left-lately@example.org', 6)

    const purged = await purgeStale(env.db, systemActor('retention'), env.config)
    t.match(purged, { subscribersDeleted: 2, subscribersErased: 1 })

    const rows = await env.db
      .selectFrom('subscribers')
      .select(['id', 'email', 'email_key', 'status'])
      .orderBy('id')
      .execute()
    t.same(
      rows.map((r) => [r.email, r.status]),
      [
        ['stays@example.org', 'active'],
        ['', 'unsubscribed'],
        ['left-lately@example.org', 'unsubscribed'],
        ['still-may-confirm@example.org', 'pending'],
      ],
      'the never confirmed and the leaver who got nothing are deleted; the leaver who got an alert keeps no address',
    )
    const erased = rows[1]!
    t.equal(erased.email_key, `erased:${erased.id}`)
    const topics = await env.db.selectFrom('subscriber_provinces').select('subscriber_id').execute()
    t.same(
      topics.map((r) => r.subscriber_id).sort(),
      [rows[0]!.id, rows[2]!.id],
      'the erased subscriber has no topics left',
    )
    t.same(await progressOf(env, first.alertId, first.headers), before, "the alert's delivery statistics are unchanged")
    const suppressed = await env.db.selectFrom('suppressions').select(['email_key', 'reason']).execute()
    t.same(
      suppressed,
      [{ email_key: 'left-lately@example.org', reason: 'unsubscribed' }],
      'an unsubscribe inside the window stays',
    )
    const dump = JSON.stringify(await env.db.selectFrom('subscribers').select(['email', 'email_key']).execute())
    for (const gone of ['left@', 'left-before-any-alert@', 'never-confirmed@'])
      t.notOk(dump.includes(gone), `no ${gone} left`)
    t.equal(
      (await env.app.inject({ method: 'POST', url: leftLink })).statusCode,
      404,
      "the erased subscriber's old links work no more",
    )

    // The next alert reaches the active subscriber only; an erased row cannot be revived.
    const second = await publish(env, { ...jilinReport, occurredOn: '2021-07-15', peopleCount: 48 })
    t.match(await settled(env, second.alertId, second.headers), { recipients: 1, sent: 1 })
    t.equal(mailsTo(env, 'stays@example.org').length, 3, 'the confirmation and two alerts')
    t.equal(mailsTo(env, 'left@example.org').length, 2, 'the confirmation and the first alert only')
    await t.rejects(
      env.db.updateTable('subscribers').set({ status: 'active' }).where('id', '=', erased.id).execute(),
      /subscribers_erased_is_unsubscribed/,
    )
    // The address may subscribe again, as anyone may.
    await activeSubscriber(env, 'left@example.org')
    t.equal(
      (
        await env.db
          .selectFrom('subscribers')
          .select('status')
          .where('email', '=', 'left@example.org')
          .executeTakeFirstOrThrow()
      ).status,
      'active',
    )
  },
)

t.test(
  "a subscriber's suppression stays with it, its SMTP answer goes after the window; a complaint outlives the address as its hash",
  async (t) => {
    const env = await setup(t)
    await activeSubscriber(env, 'bounced@example.org')
    await activeSubscriber(env, 'complained@example.org')
    const first = await publish(env)
    await settled(env, first.alertId, first.headers)
    await env.db
      .insertInto('suppressions')
      .values([
        {
          email_key: 'bounced@example.org',
          reason: 'bounced',
          detail: 'smtp EENVELOPE 550 5.1.1',
          created_at: daysAgo(8),
        },
        {
          email_key: 'complained@example.org',
          reason: 'complained',
          detail: 'feedback report',
          created_at: daysAgo(2),
        },
      ])
      .execute()
    // The one who complained also left, long ago: the row loses its address, the complaint its address too.
    await env.db
      .updateTable('subscribers')
      .set({ status: 'unsubscribed', unsubscribed_at: daysAgo(8) })
      .where('email', '=', 'complained@example.org')
      .execute()

    const purged = await purgeStale(env.db, systemActor('retention'), env.config)
    t.match(purged, { subscribersErased: 1, suppressionDetails: 1 })
    const suppressions = await env.db
      .selectFrom('suppressions')
      .select(['email_key', 'address_hash', 'reason', 'detail'])
      .orderBy('reason')
      .execute()
    t.same(suppressions, [
      {
        email_key: 'bounced@example.org',
        address_hash: addressHash(env.config.secretKey, 'bounced@example.org'),
        reason: 'bounced',
        detail: null,
      },
      {
        email_key: null,
        address_hash: addressHash(env.config.secretKey, 'complained@example.org'),
        reason: 'complained',
        detail: null,
      },
    ])

    // Subscribing again gets the usual answer, and that address nothing: no confirmation, no alert.
    const again = await env.app.inject({
      method: 'POST',
      url: '/api/v1/subscribers',
      payload: { email: 'complained@example.org' },
    })
    t.equal(again.statusCode, 202)
    const second = await publish(env, { ...jilinReport, occurredOn: '2021-07-15', peopleCount: 48 })
    t.match(await settled(env, second.alertId, second.headers), { recipients: 1, sent: 0, suppressed: 1 })
    await eventually(async () => {
      const open = await env.db
        .selectFrom('outbox')
        .select('id')
        .where('kind', 'like', 'subscriber.%')
        .where('done_at', 'is', null)
        .execute()
      return open.length === 0
    })
    t.equal(mailsTo(env, 'complained@example.org').length, 2, 'one confirmation and one alert, before the complaint')
  },
)

t.test(
  'outbox rows go once relayed more than the window ago (3 days more if not done); rows waiting for Redis stay',
  async (t) => {
    const env = await setup(t, { workers: false })
    const row = (id: number, relayed: Date | null, done: Date | null) => ({
      kind: 'signature.confirm',
      payload: JSON.stringify({ signatureId: String(id) }),
      created_at: relayed ?? daysAgo(30),
      relayed_at: relayed,
      done_at: done,
    })
    await env.db
      .insertInto('outbox')
      .values([
        row(1, daysAgo(8), daysAgo(8)),
        row(2, daysAgo(11), null), // its job gave up
        row(3, daysAgo(6), daysAgo(6)),
        row(4, null, null), // Redis has been away for a month
        row(5, daysAgo(8), null), // its job may still be waiting out a mail server's outage
      ])
      .execute()
    const purged = await purgeStale(env.db, systemActor('retention'), env.config)
    t.equal(purged.outbox, 2)
    const left = await env.db.selectFrom('outbox').select('payload').orderBy('id').execute()
    t.same(
      left.map((r) => r.payload),
      [{ signatureId: '3' }, { signatureId: '4' }, { signatureId: '5' }],
    )
  },
)

t.test('a batch smaller than the backlog still purges it all, one bounded statement at a time', async (t) => {
  const env = await setup(t, { workers: false })
  const campaignId = await campaignIdOf(env, await liveCampaign(env))
  for (let i = 0; i < 23; i++) await pendingSignature(env, campaignId, `s${i}@example.org`, daysAgo(9))
  for (let i = 0; i < 9; i++) {
    await env.app.inject({ method: 'POST', url: '/api/v1/subscribers', payload: { email: `p${i}@example.org` } })
    await ageSubscriber(env, `p${i}@example.org`, 9)
  }
  await env.db
    .updateTable('outbox')
    .set({ relayed_at: daysAgo(11) })
    .execute()
  const outboxRows = (await env.db.selectFrom('outbox').select('id').execute()).length
  t.ok(outboxRows >= 9, 'one outbox row per subscription')

  t.equal(await deleteUnconfirmedSignatures(env.db, 7, 4), 4, 'one statement deletes at most its batch')
  const purged = await purgeStale(env.db, systemActor('retention'), env.config, 4)
  t.same(purged, {
    signatures: 19,
    letters: 0,
    subscribersDeleted: 9,
    subscribersErased: 0,
    suppressionDetails: 0,
    ipHashes: 0,
    outbox: outboxRows,
    erasureRequests: 0,
  })
  t.same(await emailsOf(env, 'signatures'), [])
  t.same(await emailsOf(env, 'subscribers'), [])
  t.equal((await env.db.selectFrom('outbox').select('id').execute()).length, 0)
})

t.test('startWorkers schedules the purge hourly, and it runs with PENDING_RETENTION_DAYS', async (t) => {
  const env = await setup(t, { workers: false, env: { PENDING_RETENTION_DAYS: '2' } })
  const campaignId = await campaignIdOf(env, await liveCampaign(env))
  await pendingSignature(env, campaignId, 'three-days@example.org', daysAgo(3))
  await pendingSignature(env, campaignId, 'one-day@example.org', daysAgo(1))
  await env.startWorkers()

  const queue = openQueue(t, env, 'maintenance')
  const scheduler = (await queue.getJobSchedulers()).find((s) => s.key === 'purge-stale-personal-data')
  t.equal(scheduler?.every, 3_600_000, 'scheduled every hour')
  // A job scheduler with `every` runs its first job at once.
  await eventually(async () => (await emailsOf(env, 'signatures')).length === 1, 10_000, 'the scheduled purge')
  t.same(await emailsOf(env, 'signatures'), ['one-day@example.org'])
})

t.test('an erasure request whose link expired unused keeps no address', async (t) => {
  const env = await setup(t, { workers: false })
  const day = 24 * 3_600_000
  await env.db
    .insertInto('erasure_requests')
    .values([
      { email_key: 'ignored@example.org', nonce: Buffer.alloc(16, 1), expires_at: new Date(Date.now() - day) },
      { email_key: 'fresh@example.org', nonce: Buffer.alloc(16, 2), expires_at: new Date(Date.now() + day) },
    ])
    .execute()
  const purged = await purgeStale(env.db, systemActor('retention'), env.config)
  t.equal(purged.erasureRequests, 1)
  const left = await env.db.selectFrom('erasure_requests').select('email_key').orderBy('id').execute()
  t.same(
    left.map((r) => r.email_key),
    [null, 'fresh@example.org'],
    'the open link still works',
  )
})
