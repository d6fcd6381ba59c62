import t from 'tap'
import { createComposer } from '../../src/present/mail.ts'
import { createMailer } from '../../src/mail/transport.ts'
import { deliverOutboxMessage } from '../../src/modules/messages/service.ts'
import { confirmPath, eventually, liveCampaign, setup, signer } from '../helper.ts'
import { activeSubscriber, linkIn, mailsTo, publish, settled } from './helpers.ts'

const form = (fields: Record<string, string | string[]>) => {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) params.append(k, one)
  return { headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: params.toString() }
}

t.test('subscribing answers the same whatever the address state; the confirm link needs a POST', async (t) => {
  const env = await setup(t)
  const first = await env.app.inject({
    method: 'POST',
    url: '/api/v1/subscribers',
    payload: { email: 'new@example.org' },
  })
  t.equal(first.statusCode, 202)
  t.same(first.json(), { status: 'check-email' })
  await eventually(async () => mailsTo(env, 'new@example.org').length === 1)
  const path = linkIn(env, 'new@example.org', '/alerts/confirm/')
  const page = await env.app.inject({ url: path })
  t.match(page.body, /<form method="post"/)
  const row = () =>
    env.db.selectFrom('subscribers').select(['status']).where('email', '=', 'new@example.org').executeTakeFirstOrThrow()
  t.equal((await row()).status, 'pending', 'a GET changes nothing')
  await env.app.inject({ method: 'POST', url: path })
  t.equal((await row()).status, 'active')

  const again = await env.app.inject({
    method: 'POST',
    url: '/api/v1/subscribers',
    payload: { email: 'NEW@example.org' },
  })
  t.equal(again.statusCode, first.statusCode)
  t.equal(again.body, first.body, 'an active address gets the same answer')
  await eventually(async () => mailsTo(env, 'new@example.org').length === 2)
  t.match(mailsTo(env, 'new@example.org')[1]!.parsed.subject, /already receive alerts/)

  for (const payload of [
    { email: 'nope' },
    { email: 'a@b.org', frequency: 'hourly' },
    { email: 'a@b.org', topics: { campaigns: ['no-such'] } },
  ]) {
    const bad = await env.app.inject({ method: 'POST', url: '/api/v1/subscribers', payload })
    t.equal(bad.statusCode, 400, JSON.stringify(payload))
    t.ok(Object.keys(bad.json().fields).length === 1)
  }
})

t.test('the /alerts form subscribes, and re-renders with errors and what was typed', async (t) => {
  const env = await setup(t)
  const slug = await liveCampaign(env)
  const page = await env.app.inject({ url: '/alerts?lang=zh' })
  t.match(page.body, /接收电子邮件警报/)
  const bad = await env.app.inject({
    method: 'POST',
    url: '/alerts',
    ...form({ email: 'bad@', frequency: 'daily', campaigns: slug }),
  })
  t.equal(bad.statusCode, 400)
  t.match(bad.body, /Enter a valid email address/)
  t.match(bad.body, /value="bad@"/)
  t.match(bad.body, new RegExp(`value="${slug}" checked`))
  t.match(bad.body, /value="daily" checked/)
  const ok = await env.app.inject({
    method: 'POST',
    url: '/alerts',
    ...form({ email: 'form@example.org', frequency: 'daily', locale: 'ko', campaigns: slug }),
  })
  t.equal(ok.statusCode, 200)
  t.match(ok.body, /Check your email/)
  await eventually(async () => mailsTo(env, 'form@example.org').length === 1)
  t.match(mailsTo(env, 'form@example.org')[0]!.parsed.subject, /알림 구독을 확인해 주세요/)
  const s = await env.db
    .selectFrom('subscribers')
    .select(['frequency', 'locale', 'topic_all'])
    .executeTakeFirstOrThrow()
  t.same(s, { frequency: 'daily', locale: 'ko', topic_all: false })
})

t.test('one-click unsubscribe works urlencoded and multipart; a GET only shows a button', async (t) => {
  const env = await setup(t)
  await activeSubscriber(env, 'a@example.org')
  await activeSubscriber(env, 'b@example.org')
  const { alertId, headers } = await publish(env)
  await settled(env, alertId, headers)
  const unsubscribeOf = (to: string) => linkIn(env, to, '/u/')

  const look = await env.app.inject({ url: unsubscribeOf('a@example.org') })
  t.equal(look.statusCode, 200)
  t.match(look.body, /<form method="post"/)
  const status = (email: string) =>
    env.db
      .selectFrom('subscribers')
      .select('status')
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
      .then((r) => r.status)
  t.equal(await status('a@example.org'), 'active', 'a GET changes nothing')

  const urlencoded = await env.app.inject({
    method: 'POST',
    url: unsubscribeOf('a@example.org'),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'List-Unsubscribe=One-Click',
  })
  t.equal(urlencoded.statusCode, 200)
  t.notOk(urlencoded.headers['set-cookie'], 'no cookie needed or set')
  t.equal(await status('a@example.org'), 'unsubscribed')

  const boundary = '----ua-test'
  const multipart = await env.app.inject({
    method: 'POST',
    url: unsubscribeOf('b@example.org'),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
  })
  t.equal(multipart.statusCode, 200)
  t.equal(await status('b@example.org'), 'unsubscribed')
  const suppressed = await env.db
    .selectFrom('suppressions')
    .select(['email_key', 'reason'])
    .orderBy('email_key')
    .execute()
  t.same(
    suppressed.map((s) => s.reason),
    ['unsubscribed', 'unsubscribed'],
  )
  t.equal((await env.app.inject({ method: 'POST', url: '/u/forged.token' })).statusCode, 404)
})

t.test('the preferences page changes topics, frequency and language', async (t) => {
  const env = await setup(t)
  const slug = await liveCampaign(env)
  await activeSubscriber(env, 'prefs@example.org')
  const { alertId, headers } = await publish(env)
  await settled(env, alertId, headers)
  const path = linkIn(env, 'prefs@example.org', '/alerts/preferences/')
  t.match((await env.app.inject({ url: path })).body, /Alert preferences/)
  const saved = await env.app.inject({
    method: 'POST',
    url: path,
    ...form({ frequency: 'daily', locale: 'zh', campaigns: slug, provinces: 'jilin' }),
  })
  t.equal(saved.statusCode, 200)
  t.match(saved.body, /Your preferences are saved/)
  const s = await env.db
    .selectFrom('subscribers')
    .select(['id', 'frequency', 'locale', 'topic_all'])
    .executeTakeFirstOrThrow()
  t.same([s.frequency, s.locale, s.topic_all], ['daily', 'zh', false])
  const provinces = await env.db.selectFrom('subscriber_provinces').select('province').execute()
  t.same(provinces, [{ province: 'jilin' }])
  t.match((await env.app.inject({ url: '/alerts/preferences/forged' })).body, /This link does not work/)
})

t.test('a signer who ticked alerts follows the campaign once confirmed, without a second email', async (t) => {
  const env = await setup(t)
  const slug = await liveCampaign(env)
  await env.app.inject({
    method: 'POST',
    url: `/api/v1/campaigns/${slug}/signatures`,
    payload: { ...signer, alerts: true },
  })
  const [mail] = await env.smtp.waitFor(1)
  await env.app.inject({ method: 'POST', url: confirmPath(mail!) })
  const s = await env.db.selectFrom('subscribers').select(['status', 'topic_all', 'id']).executeTakeFirstOrThrow()
  t.same([s.status, s.topic_all], ['active', false])
  const topics = await env.db
    .selectFrom('subscriber_campaigns')
    .innerJoin('campaigns', 'campaigns.id', 'campaign_id')
    .select('slug')
    .execute()
  t.same(topics, [{ slug }])
  const { alertId, headers } = await publish(env, {
    occurredOn: '2021-07-14',
    place: { name: 'Tumen', province: 'Jilin', country: 'CN' },
    peopleCount: 325,
    kind: 'detention',
    summary: 'Held in Tumen.',
    confidence: 'credible',
    campaign: slug,
  })
  t.match(await settled(env, alertId, headers), { recipients: 1, sent: 1 })
  t.equal(env.smtp.messages.length, 2, 'the signature confirmation and the alert: no opt-in email')
})

t.test('subscribing again is one write; the mail worker applies the new choices to a pending address', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  const subscribe = (payload: object) => env.app.inject({ method: 'POST', url: '/api/v1/subscribers', payload })
  const first = await subscribe({ email: 'again@example.org' })
  const again = await subscribe({
    email: 'Again@example.org',
    frequency: 'daily',
    topics: { campaigns: [slug], provinces: ['Jilin'] },
  })
  t.equal(again.body, first.body)
  const subscriber = () =>
    env.db
      .selectFrom('subscribers')
      .select(['id', 'frequency', 'topic_all'])
      .where('email_key', '=', 'again@example.org')
      .executeTakeFirstOrThrow()
  t.same(
    await subscriber(),
    { id: (await subscriber()).id, frequency: 'immediate', topic_all: true },
    'the request changed nothing yet',
  )
  const repeat = await env.db
    .selectFrom('outbox')
    .select(['id', 'kind'])
    .where('kind', '=', 'subscriber.repeat')
    .executeTakeFirstOrThrow()

  const deps = {
    db: env.db,
    config: env.config,
    mailer: createMailer(env.config),
    compose: createComposer({ db: env.db, config: env.config }),
  }
  t.equal(await deliverOutboxMessage(deps, repeat.id), 'sent')
  deps.mailer.close()
  const { id } = await subscriber()
  t.same(await subscriber(), { id, frequency: 'daily', topic_all: false }, 'the latest choices')
  const campaigns = await env.db
    .selectFrom('subscriber_campaigns')
    .select('subscriber_id')
    .where('subscriber_id', '=', id)
    .execute()
  t.equal(campaigns.length, 1)
  const decided = await env.db.selectFrom('outbox').select('kind').where('id', '=', repeat.id).executeTakeFirstOrThrow()
  t.equal(decided.kind, 'subscriber.confirm', 'still pending: the confirm link again')
  const [mail] = await env.smtp.waitFor(1)
  t.match(mail!.parsed.text, /\/alerts\/confirm\//)
})
