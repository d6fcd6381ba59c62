// A bounced or complained address is never written to again, erased or not: erasure keeps only a
// keyed hash of it, which every send checks, and signing or subscribing again resumes nothing.
import { sql } from 'kysely'
import t from 'tap'
import { activeSubscriber, publish, settled } from '../alerts/helpers.ts'
import { confirmPath, eventually, liveCampaign, setup, type TestEnv } from '../helper.ts'
import { erasePath, mailsTo, nthMailTo, requestErasure, sign } from './helpers.ts'

const dandong = {
  occurredOn: '2021-07-15',
  place: { name: 'Dandong', province: 'Liaoning', country: 'CN' },
  peopleCount: 180,
  kind: 'detention',
  summary: 'Held in Dandong.',
  confidence: 'credible',
}

/** Publishes a report on the campaign and waits for its alert to settle; returns its progress. */
async function alertEveryone(env: TestEnv, slug: string, day: number) {
  const { alertId, headers } = await publish(env, { ...dandong, occurredOn: `2021-07-${10 + day}`, campaign: slug })
  return settled(env, alertId, headers)
}

/** Waits until the mail worker has decided on every email's outbox row (sent, or nothing to send). */
function outboxSettled(env: TestEnv) {
  return eventually(
    async () => {
      const open = await env.db
        .selectFrom('outbox')
        .select('id')
        .where('kind', 'not like', 'alert.%')
        .where('done_at', 'is', null)
        .execute()
      return open.length === 0
    },
    15_000,
    'every outbox row handled',
  )
}

/** Every table's rows, as JSON, that mention `text` anywhere. */
async function rowsMentioning(env: TestEnv, text: string) {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(env.db)
  const found: string[] = []
  for (const { name } of tables.rows) {
    const rows = await sql<{ row: string }>`
      select row_to_json(x)::text as row from ${sql.table(name)} x
      where lower(row_to_json(x)::text) like ${`%${text.toLowerCase()}%`}`.execute(env.db)
    for (const r of rows.rows) found.push(`${name}: ${r.row}`)
  }
  return found
}

t.test(
  'bounced, then erased: no row keeps the address, and signing and subscribing again send it nothing',
  async (t) => {
    const env = await setup(t)
    const slug = await liveCampaign(env)
    const address = 'once.bounced@example.org'
    const person = { name: 'Lee Soo-jin', email: address, country: 'KR' }
    await sign(env, slug, { ...person, alerts: true })
    env.smtp.respondWith(550, 1)
    t.match(await alertEveryone(env, slug, 1), { recipients: 1, failed: 1 }, 'the alert bounces')
    t.same(await env.db.selectFrom('suppressions').select('reason').execute(), [{ reason: 'bounced' }])

    const reader = 'reader@example.org'
    await activeSubscriber(env, reader)
    await requestErasure(env, address)
    const link = await nthMailTo(env, address, 2)
    t.equal((await env.app.inject({ method: 'POST', url: erasePath(link) })).statusCode, 200, 'erased')
    t.same(await rowsMentioning(env, address), [], 'no row anywhere holds the address')
    t.same(await rowsMentioning(env, 'once.bounced'), [], 'nor its local part')
    const kept = await env.db.selectFrom('suppressions').select(['email_key', 'reason', 'detail']).execute()
    t.same(kept, [{ email_key: null, reason: 'bounced', detail: null }], 'the bounce is kept, without the address')

    // The owner (or anyone) signs and subscribes again: the same answer as for any address.
    const signed = await env.app.inject({
      method: 'POST',
      url: `/api/v1/campaigns/${slug}/signatures`,
      payload: { ...person, alerts: true },
    })
    t.equal(signed.statusCode, 202)
    t.same(signed.json(), { status: 'check-email' })
    const subscribed = await env.app.inject({ method: 'POST', url: '/api/v1/subscribers', payload: { email: address } })
    t.equal(subscribed.statusCode, 202)
    t.same(subscribed.json(), { status: 'check-email' })
    await outboxSettled(env)
    t.match(await alertEveryone(env, slug, 2), { recipients: 1, sent: 1 }, 'the alert reaches the reader')
    t.equal(mailsTo(env, reader).length, 2, 'confirmation and alert')
    t.equal(mailsTo(env, address).length, 2, 'nothing since the erasure link: no confirmation, no alert')

    // Even if its new subscription were made active some other way, it would get no alert.
    await env.db
      .updateTable('subscribers')
      .set({ status: 'active', confirmed_at: new Date() })
      .where('email_key', '=', address)
      .execute()
    t.match(await alertEveryone(env, slug, 3), { recipients: 2, sent: 1, suppressed: 1 })
    t.equal(mailsTo(env, address).length, 2, 'still nothing')
  },
)

t.test('a confirm link from before the bounce confirms the signature but lifts no bounce', async (t) => {
  const env = await setup(t)
  const slug = await liveCampaign(env)
  const address = 'full.mailbox@example.org'
  await activeSubscriber(env, address)
  await sign(env, slug, { name: 'Park Ji-ho', email: address, country: 'KR', alerts: true }, { confirm: false })
  const pending = mailsTo(env, address).at(-1)!
  env.smtp.respondWith(550, 1)
  t.match(await alertEveryone(env, slug, 1), { recipients: 1, failed: 1 })
  const confirmed = await env.app.inject({ method: 'POST', url: confirmPath(pending) })
  t.match(confirmed.body, /your signature counts/)
  t.same(await env.db.selectFrom('suppressions').select('reason').execute(), [{ reason: 'bounced' }], 'still bounced')
  const before = mailsTo(env, address).length
  t.match(await alertEveryone(env, slug, 2), { recipients: 1, sent: 0, suppressed: 1 })
  t.equal(mailsTo(env, address).length, before, 'no alert')
})
