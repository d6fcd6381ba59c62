import { sql } from 'kysely'
import t from 'tap'
import { eventually, liveCampaign, setup, sleep } from '../helper.ts'
import { activeSubscriber, jilinReport, mailsTo, publish, rawHeader, settled } from './helpers.ts'

t.test('publishing alerts every matching confirmed subscriber exactly once, and nobody else', async (t) => {
  const env = await setup(t)
  const x = await liveCampaign(env)
  const y = await liveCampaign(env, { title: 'Another case' })
  await activeSubscriber(env, 'all@example.org')
  await activeSubscriber(env, 'jilin@example.org', { topics: { provinces: ['JILIN '] } })
  await activeSubscriber(env, 'liaoning@example.org', { topics: { provinces: ['Liaoning'] } })
  await activeSubscriber(env, 'x@example.org', { topics: { campaigns: [x] } })
  await activeSubscriber(env, 'y@example.org', { topics: { campaigns: [y] } })
  await activeSubscriber(env, 'daily@example.org', { frequency: 'daily' })
  await activeSubscriber(env, 'gone@example.org')
  await env.app.inject({ method: 'POST', url: '/api/v1/subscribers', payload: { email: 'pending@example.org' } })
  await eventually(async () => mailsTo(env, 'pending@example.org').length === 1)
  // gone@ unsubscribes through the one-click URL of a first alert
  const first = await publish(env, { ...jilinReport, place: { ...jilinReport.place, name: 'Tumen' }, peopleCount: 325 })
  await settled(env, first.alertId, first.headers)
  const goneMail = mailsTo(env, 'gone@example.org').at(-1)!
  const oneClick = /<https?:\/\/[^/>]+(\/u\/[\w.-]+)(?:\?lang=\w+)?>/.exec(
    rawHeader(goneMail, 'List-Unsubscribe') ?? '',
  )![1]!
  const res = await env.app.inject({
    method: 'POST',
    url: oneClick,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'List-Unsubscribe=One-Click',
  })
  t.equal(res.statusCode, 200)

  const before = env.smtp.messages.length
  const { alertId, headers } = await publish(env, { ...jilinReport, campaign: x })
  const progress = await settled(env, alertId, headers)
  await sleep(300)
  const got = env.smtp.messages
    .slice(before)
    .flatMap((m) => m.envelopeTo)
    .sort()
  t.same(
    got,
    ['all@example.org', 'jilin@example.org', 'x@example.org'],
    'exactly the matching immediate subscribers, once each',
  )
  t.match(progress, { recipients: 3, sent: 3, failed: 0, suppressed: 0 })
  t.equal((await env.app.inject({ url: `/api/v1/alerts/${alertId}`, headers })).json().status, 'done')
})

t.test('an alert carries the unsubscribe headers, both parts and a fixed Message-ID', async (t) => {
  const env = await setup(t)
  await activeSubscriber(env, 'reader@example.org', { locale: 'ko' })
  const { alertId, headers } = await publish(env)
  await settled(env, alertId, headers)
  const mail = mailsTo(env, 'reader@example.org').at(-1)!
  const listUnsubscribe = rawHeader(mail, 'List-Unsubscribe')
  t.match(
    listUnsubscribe,
    /^<http:\/\/ua\.test\/u\/[\w.-]+\?lang=ko>, <mailto:alerts@localhost\?subject=unsubscribe%20[\w.-]+>$/,
  )
  t.equal(rawHeader(mail, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click')
  t.equal(rawHeader(mail, 'List-Id'), 'Urgent Action alerts <alerts.ua.test>')
  t.match(mail.parsed.messageId, /^<[\w-]{24}@ua\.test>$/, 'an opaque Message-ID (tests/mail/message-id.test.ts)')
  t.match(mail.parsed.subject, /구금: 지린성 창바이현, 47명/, 'in the subscriber language, with the Korean names')
  t.match(mail.parsed.text, /Human Rights Watch/)
  t.match(mail.parsed.text, /\/u\/[\w.-]+/, 'a visible unsubscribe link in the text')
  t.match(mail.parsed.html, /href="http:\/\/ua\.test\/u\/[\w.-]+\?lang=ko"/, 'and in the HTML')
  t.match(mail.parsed.html, /href="http:\/\/ua\.test\/alerts\/preferences\/[\w.-]+\?lang=ko"/, 'the preferences link')
  t.notMatch(mail.parsed.text, /UA-UNSUBSCRIBE-URL|UA-PREFERENCES-URL/, 'placeholders are filled')
})

t.test('a publish wakes the outbox relay at once, also after its listening connection was cut', async (t) => {
  // The relay's timer is a minute away: only the NOTIFY of the publish can start the fan-out.
  const env = await setup(t, { env: { OUTBOX_POLL_MS: '60000' } })
  await sql`
    insert into subscribers (email, email_key, status, topic_all, nonce, confirmed_at)
    values ('woken@example.org', 'woken@example.org', 'active', true, decode(md5('woken'), 'hex'), now())`.execute(
    env.db,
  )
  const listeners = async () =>
    (
      await sql<{
        pid: number
      }>`select pid from pg_stat_activity where datname = current_database() and query ilike 'listen %'`.execute(env.db)
    ).rows
  await eventually(async () => (await listeners()).length === 1, 10_000, 'the relay to listen')
  await sleep(200) // past the relay's first run at start

  await publish(env)
  await eventually(
    async () => mailsTo(env, 'woken@example.org').length === 1,
    10_000,
    'the alert, well before the next poll',
  )

  const [cut] = await listeners()
  await sql`select pg_terminate_backend(${cut!.pid})`.execute(env.db)
  await eventually(async () => (await listeners()).some((l) => l.pid !== cut!.pid), 20_000, 'the relay to listen again')
  await publish(env, { ...jilinReport, place: { ...jilinReport.place, name: 'Tumen' }, peopleCount: 325 })
  await eventually(async () => mailsTo(env, 'woken@example.org').length === 2, 10_000, 'the second alert')
})
