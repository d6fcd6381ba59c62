// A supporter's letter, sent by the platform: never before the supporter confirms, once per
// target ever, signed with the name and place and never the address.
import t from 'tap'
import { setup } from '../helper.ts'
import {
  letterCampaign,
  letterConfirmPath,
  lettersTo,
  ministry,
  noEmail,
  outboxSettled,
  pressConfirm,
  supporter,
  unhcr,
  write,
} from './helpers.ts'

t.test('a letter reaches each target with an email once, after confirmation and never before', async (t) => {
  const env = await setup(t)
  const { slug, campaignId } = await letterCampaign(env, [ministry, unhcr, noEmail])

  const accepted = await write(env, slug, supporter)
  t.equal(accepted.statusCode, 202)
  t.same(accepted.json(), { status: 'check-email' })
  const [confirmation] = await env.smtp.waitFor(1)
  t.same(
    confirmation!.envelopeTo.map((a) => a.toLowerCase()),
    ['sujin.lee+letters@example.org'],
  )
  await outboxSettled(env)
  t.equal(env.smtp.messages.length, 1, 'only the confirmation: no letter before the button')
  t.equal((await env.db.selectFrom('letter_sends').select('id').execute()).length, 0)

  // The page a mail scanner would fetch sends nothing; the button does.
  const path = letterConfirmPath(confirmation!)
  const page = await env.app.inject({ url: path })
  t.match(page.body, /Lee Su-jin/)
  t.match(page.body, /Minister \(Minister office\)/, 'the page says to whom it goes')
  t.notMatch(page.body, /Embassy/, 'a target without an email is not written to')
  await outboxSettled(env)
  t.equal(env.smtp.messages.length, 1)

  const done = await pressConfirm(env, path)
  t.match(done.body, /your letter is on its way/)
  await env.smtp.waitFor(3)
  await outboxSettled(env)
  t.equal(env.smtp.messages.length, 3, 'one letter to each of the two targets with an email')

  const [zh] = lettersTo(env, ministry.email!)
  t.equal(zh!.parsed.subject, '请不要遣返难民', "the campaign's letter in the target's language")
  t.match(zh!.parsed.text, /请给予他们安全通行。/)
  t.match(zh!.parsed.text, /Lee Su-jin\nSeoul, 韩国/, 'signed with the name, city and country, in its language')
  const [en] = lettersTo(env, unhcr.email!)
  t.equal(en!.parsed.subject, 'Do not return the refugees', 'a platform-only target gets its letter too')
  t.match(en!.parsed.text, /Please grant them safe passage\./)
  t.match(en!.parsed.text, /Lee Su-jin\nSeoul, South Korea/)

  for (const letter of [zh!, en!]) {
    const raw = letter.raw.toString('utf8').toLowerCase()
    t.notMatch(raw, /sujin|su-jin\.lee|letters@example\.org/, "the supporter's address is nowhere in the letter")
    t.notOk(letter.parsed.replyTo, 'no Reply-To')
    t.match(letter.parsed.from?.text, /alerts@localhost/, 'from MAIL_FROM')
    t.same(letter.envelopeTo.length, 1, 'one target per email')
  }

  const sends = await env.db.selectFrom('letter_sends').select(['status', 'sent_at']).execute()
  t.same(
    sends.map((s) => s.status),
    ['sent', 'sent'],
  )
  const campaign = await env.db
    .selectFrom('campaigns')
    .select('letters_sent')
    .where('id', '=', campaignId)
    .executeTakeFirstOrThrow()
  t.equal(Number(campaign.letters_sent), 2, 'the campaign counts the letters sent')

  // The button again, and the link again: nothing more.
  const again = await env.app.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: '',
  })
  t.match(again.body, /already confirmed/)
  await outboxSettled(env)
  t.equal(env.smtp.messages.length, 3)
})

t.test('a second request from the same address sends nothing new, and answers as the first', async (t) => {
  const env = await setup(t)
  const { slug } = await letterCampaign(env, [ministry])
  const first = await write(env, slug, supporter)
  const [confirmation] = await env.smtp.waitFor(1)
  await pressConfirm(env, letterConfirmPath(confirmation!))
  await env.smtp.waitFor(2)

  const repeat = await write(env, slug, { ...supporter, email: ' SUJIN.LEE+letters@example.ORG', name: 'Someone Else' })
  t.equal(repeat.statusCode, first.statusCode)
  t.same(repeat.json(), first.json())
  await outboxSettled(env)
  t.equal(env.smtp.messages.length, 2, 'no second confirmation, no second letter')
  t.equal((await env.db.selectFrom('letter_sends').select('id').execute()).length, 1)
  t.equal((await env.db.selectFrom('letters').select('name').executeTakeFirstOrThrow()).name, 'Lee Su-jin')
})

t.test('a repeat replaces the pending choices: the link sends the latest request', async (t) => {
  const env = await setup(t, { env: { EMAIL_COOLDOWN_SECONDS: '600' } })
  const { slug } = await letterCampaign(env, [ministry])
  const squatter = { ...supporter, name: 'Squatter', city: 'Nowhere', body: 'A text the owner never wrote.' }
  await write(env, slug, squatter)
  const [confirmation] = await env.smtp.waitFor(1)
  t.match(confirmation!.parsed.text, /Squatter/, 'the email shows what it sends')
  t.match(confirmation!.parsed.text, /A text the owner never wrote/)

  await write(env, slug, supporter)
  await outboxSettled(env)
  t.equal(env.smtp.messages.length, 1, 'within the cooldown the owner gets no email of her own')

  const path = letterConfirmPath(confirmation!)
  const page = await env.app.inject({ url: path })
  t.match(page.body, /Lee Su-jin/)
  t.notMatch(page.body, /Squatter|never wrote/)
  await pressConfirm(env, path)
  const mails = await env.smtp.waitFor(2)
  const letter = mails[1]!
  t.match(letter.parsed.text, /Lee Su-jin\nSeoul/)
  t.match(letter.parsed.text, /请给予他们安全通行/, "the campaign's letter, as the latest request asked")
  t.notMatch(letter.parsed.text, /Squatter|never wrote/)
})

t.test('a button pressed on a page shown before a repeat shows the new request instead of sending', async (t) => {
  const env = await setup(t)
  const { slug } = await letterCampaign(env, [ministry])
  await write(env, slug, supporter)
  const [confirmation] = await env.smtp.waitFor(1)
  const path = letterConfirmPath(confirmation!)
  const shown = /name="shown" value="([^"]+)"/.exec((await env.app.inject({ url: path })).body)![1]!
  await write(env, slug, { ...supporter, name: 'Changed Name' })
  const pressed = await env.app.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `shown=${shown}`,
  })
  t.match(pressed.body, /changed after you opened this page/)
  t.match(pressed.body, /Changed Name/)
  t.equal((await env.db.selectFrom('letters').select('status').executeTakeFirstOrThrow()).status, 'pending')
})

t.test('a link-stuffed or too long text gets the same answer and sends nothing', async (t) => {
  const env = await setup(t)
  const { slug } = await letterCampaign(env, [ministry])
  const links = 'See https://a.example/1 http://b.example/2 www.c.example and d-spam.com now.'
  const cases = [
    { ...supporter, email: 'links@example.org', body: links },
    { ...supporter, email: 'long@example.org', body: '가'.repeat(5001) },
  ]
  const fine = await write(env, slug, { ...supporter, email: 'fine@example.org', body: 'See https://a.example/1.' })
  for (const payload of cases) {
    const res = await write(env, slug, payload)
    t.equal(res.statusCode, fine.statusCode)
    t.same(res.json(), fine.json())
  }
  await env.smtp.waitFor(1)
  await outboxSettled(env)
  t.equal(env.smtp.messages.length, 1, 'only the acceptable request is confirmed')
  t.same(env.smtp.messages[0]!.envelopeTo, ['fine@example.org'])
  t.same(
    (await env.db.selectFrom('letters').select('email').execute()).map((r) => r.email),
    ['fine@example.org'],
  )
})

t.test('each invalid field gets a 400 naming it, and nothing is written', async (t) => {
  const env = await setup(t, { workers: false })
  const { slug } = await letterCampaign(env, [ministry])
  const cases: [string, Record<string, unknown>][] = [
    ['name', { ...supporter, name: '' }],
    ['name', { ...supporter, name: 'x'.repeat(201) }],
    ['email', { ...supporter, email: 'not-an-address' }],
    ['email', { ...supporter, email: undefined }],
    ['country', { ...supporter, country: 'XX' }],
    ['city', { ...supporter, city: 'c'.repeat(101) }],
    ['body', { ...supporter, body: 42 }],
    ['alerts', { ...supporter, alerts: 'yes' }],
  ]
  for (const [field, payload] of cases) {
    const res = await write(env, slug, payload)
    t.equal(res.statusCode, 400, `${field}: ${JSON.stringify(payload[field])}`)
    const body = res.json<{ error: string; fields: Record<string, string> }>()
    t.equal(body.error, 'invalid_input')
    t.ok(body.fields[field], `names ${field}: ${body.fields[field]}`)
  }
  t.equal((await write(env, 'no-such-campaign', supporter)).statusCode, 404)

  // A campaign without a letter of its own: the supporter must write one.
  const bare = await letterCampaign(env, [ministry], { letter: false })
  const res = await write(env, bare.slug, supporter)
  t.equal(res.statusCode, 400)
  t.ok(res.json<{ fields: Record<string, string> }>().fields.body)
  t.equal((await env.db.selectFrom('letters').select('id').execute()).length, 0)
  t.equal((await env.db.selectFrom('outbox').select('id').execute()).length, 0)
})

t.test('the confirmation is written in the supporter’s language', async (t) => {
  const env = await setup(t)
  const { slug } = await letterCampaign(env, [ministry])
  await write(env, slug, { ...supporter, email: 'ko@example.org' }, { 'accept-language': 'ko' })
  await write(env, slug, { ...supporter, email: 'zh@example.org' }, { 'accept-language': 'zh-CN' })
  const mails = await env.smtp.waitFor(2)
  const ko = mails.find((m) => m.envelopeTo.includes('ko@example.org'))!
  const zh = mails.find((m) => m.envelopeTo.includes('zh@example.org'))!
  t.match(ko.parsed.subject, /^편지를 확인해 주세요: /)
  t.match(ko.parsed.text, /내 편지 보내기|이 링크를 열고 버튼을 눌러 편지를 보내세요/)
  t.match(ko.parsed.text, /대한민국|한국/)
  t.match(zh.parsed.subject, /^请确认你的信：/)
  t.match(zh.parsed.text, /打开此链接并按下按钮发送你的信/)
  const page = await env.app.inject({ url: `${letterConfirmPath(ko)}?lang=ko` })
  t.match(page.body, /편지 보내기/)
})
