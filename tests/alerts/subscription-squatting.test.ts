// Subscription squatting (issue 19, finding 1): someone asks for alerts first as another person's
// address, with topics, frequency and language of their choosing. The owner's own request must
// replace them, and the confirm link must confirm what its page shows.
import t from 'tap'
import { eventually, liveCampaign, setup, type TestEnv } from '../helper.ts'
import { linkIn, mailsTo } from './helpers.ts'

const victim = 'minji.kim@example.org'

const subscribe = (env: TestEnv, payload: object) =>
  env.app.inject({ method: 'POST', url: '/api/v1/subscribers', payload: { email: victim, ...payload } })

const repeatsDecided = (env: TestEnv) =>
  eventually(
    async () => (await env.db.selectFrom('outbox').select('id').where('done_at', 'is', null).execute()).length === 0,
    10_000,
    'the repeat decided',
  )

const form = (shown: string) => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: `shown=${shown}`,
})
const shownOn = (body: string) => /name="shown" value="([^"]+)"/.exec(body)?.[1] ?? ''

t.test("the owner's later request replaces a squatter's pending choices, within the cooldown too", async (t) => {
  const env = await setup(t, { env: { EMAIL_COOLDOWN_SECONDS: '600' } })
  const slug = await liveCampaign(env, { title: 'A campaign the owner never chose' })
  await subscribe(env, { topics: { campaigns: [slug] }, frequency: 'daily', locale: 'zh' })
  await eventually(async () => mailsTo(env, victim).length === 1)
  const mail = mailsTo(env, victim)[0]!
  // The email says what it confirms (in the language asked for).
  t.match(mail.parsed.text, /A campaign the owner never chose/)
  t.match(mail.parsed.text, /每日摘要/)
  t.match(mail.parsed.text, /最新请求/)

  await subscribe(env, { frequency: 'immediate', locale: 'en' })
  await repeatsDecided(env)
  t.equal(mailsTo(env, victim).length, 1, 'within the cooldown the owner gets no email of her own')

  const path = linkIn(env, victim, '/alerts/confirm/')
  const page = await env.app.inject({ url: path })
  t.match(page.body, /Everything published/)
  t.match(page.body, /At once, one email per report/)
  t.notMatch(page.body, /never chose/)
  t.match(page.body, /confirms the latest request for alerts made with this address/)
  const done = await env.app.inject({ method: 'POST', url: path, ...form(shownOn(page.body)) })
  t.match(done.body, /Your alerts are on/)
  const row = await env.db
    .selectFrom('subscribers')
    .select(['status', 'frequency', 'locale', 'topic_all'])
    .executeTakeFirstOrThrow()
  t.same(row, { status: 'active', frequency: 'immediate', locale: 'en', topic_all: true })
  t.equal((await env.db.selectFrom('subscriber_campaigns').select('campaign_id').execute()).length, 0)
})

t.test('choices that changed after the page was opened are shown again, not confirmed', async (t) => {
  const env = await setup(t)
  const slug = await liveCampaign(env)
  await subscribe(env, {})
  await eventually(async () => mailsTo(env, victim).length === 1)
  const path = linkIn(env, victim, '/alerts/confirm/')
  const page = await env.app.inject({ url: path })
  await subscribe(env, { topics: { campaigns: [slug] }, frequency: 'daily' })
  await repeatsDecided(env)
  const again = await env.app.inject({ method: 'POST', url: path, ...form(shownOn(page.body)) })
  t.match(again.body, /changed after you opened this page/)
  t.match(again.body, /A daily digest/)
  t.equal((await env.db.selectFrom('subscribers').select('status').executeTakeFirstOrThrow()).status, 'pending')
})

t.test("repeats never keep a pending subscription past its first request's CONFIRM_TOKEN_DAYS", async (t) => {
  const env = await setup(t)
  await subscribe(env, {})
  await eventually(async () => mailsTo(env, victim).length === 1)
  const firstExpiry = new Date(Date.now() + 86_400_000)
  await env.db.updateTable('subscribers').set({ confirm_expires_at: firstExpiry }).execute()
  for (let i = 0; i < 3; i++) await subscribe(env, {})
  await eventually(async () => mailsTo(env, victim).length === 4)
  const row = await env.db.selectFrom('subscribers').select('confirm_expires_at').executeTakeFirstOrThrow()
  t.equal(row.confirm_expires_at?.getTime(), firstExpiry.getTime(), 'the repeats did not extend it')
  t.match(mailsTo(env, victim)[3]!.parsed.text, /works until/)
})

t.test('a province typed by a stranger is quoted inert in the confirmation email, never as a link', async (t) => {
  const env = await setup(t)
  await subscribe(env, { topics: { provinces: ['Visit https://evil.example/win now'] } })
  await eventually(async () => mailsTo(env, victim).length === 1)
  const mail = mailsTo(env, victim)[0]!
  t.notMatch(mail.parsed.text, /evil\.example/, 'no host name in clear')
  t.notMatch(mail.parsed.html || '', /evil\.example/)
  t.match(mail.parsed.text, /evil\[\.\]example/, 'the text is still there, broken')
})
