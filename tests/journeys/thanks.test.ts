// The thanks page after signing: the address typed (from a sealed cookie of the signer's own),
// a suggestion for a mistyped domain, what to do when no email comes, and nothing that tells a
// first signature from a repeat.
import t from 'tap'
import { confirmPath, eventually, liveCampaign, setup } from '../helper.ts'

const form = (fields: Record<string, string>) => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams(fields).toString(),
})

const env = await setup(t, { env: { EMAIL_COOLDOWN_SECONDS: '600' } })
const slug = await liveCampaign(env)

async function signAndThank(email: string, lang = 'en', extra: Record<string, string> = {}) {
  const res = await env.app.inject({
    method: 'POST',
    url: `/campaigns/${slug}?lang=${lang}`,
    ...form({ name: 'Kim', email, country: 'KR', ...extra }),
  })
  if (res.statusCode !== 303) throw new Error(`sign: ${res.statusCode} ${res.body}`)
  const cookie = res.cookies.find((c) => c.name === 'typed')
  const page = await env.app.inject({
    url: res.headers.location as string,
    cookies: cookie ? { typed: cookie.value } : {},
    headers: { cookie: `lang=${lang}${cookie ? `; typed=${cookie.value}` : ''}` },
  })
  return { res, cookie, page }
}

t.test('the thanks page shows the address typed, and the cookie holding it is the page’s alone', async (t) => {
  const { res, cookie, page } = await signAndThank('seo.yeon@example.org')
  t.equal(res.headers.location, `/campaigns/${slug}/thanks`)
  t.ok(cookie, 'a cookie carries what was typed to the next page')
  t.equal(cookie!.path, `/campaigns/${slug}/thanks`, 'sent back to the thanks page only')
  t.ok(cookie!.httpOnly, 'no script reads it')
  t.equal(cookie!.sameSite, 'Lax')
  t.ok(cookie!.maxAge! <= 1800, 'kept half an hour at most')
  t.notMatch(cookie!.value, /seo|example/i, 'the address is sealed, not in clear')
  t.equal(page.statusCode, 200)
  t.equal(page.headers['cache-control'], 'no-store', 'no cache keeps a page naming an address')
  t.match(page.body, '<strong class="address">seo.yeon@example.org</strong>')
  t.notMatch(page.body, 'Did you mean', 'a common domain needs no suggestion')
  t.match(page.body, /spam or junk folder/)
  t.match(page.body, 'sign again with the same address in 10 minutes or later', 'when another email can be asked for')
})

t.test('a mistyped common domain is suggested in the reader’s language, never refused', async (t) => {
  const cases = [
    ['mina@gmial.com', 'mina@gmail.com', 'en', 'Did you mean this address?'],
    ['mina@naver.co', 'mina@naver.com', 'ko', '혹시 이 주소인가요?'],
    ['mina@hanmial.net', 'mina@hanmail.net', 'ko', '혹시 이 주소인가요?'],
    ['mina@qq.con', 'mina@qq.com', 'zh', '你是不是想输入这个地址？'],
    ['mina@163.cm', 'mina@163.com', 'zh', '你是不是想输入这个地址？'],
  ] as const
  for (const [typed, meant, lang, question] of cases) {
    const { res, page } = await signAndThank(typed, lang)
    t.equal(res.statusCode, 303, `${typed}: signed as typed`)
    t.match(page.body, `<strong class="address">${typed}</strong>`, `${typed}: shown as typed`)
    t.match(page.body, question, `${typed}: asked in ${lang}`)
    t.match(page.body, `<input type="hidden" name="email" value="${meant}">`, `${typed}: ${meant} offered`)
  }
  const sent = await eventually(
    async () => (env.smtp.messages.length >= 6 ? env.smtp.messages : undefined),
    30_000,
    'emails',
  )
  t.ok(
    sent.some((m) => m.envelopeTo.includes('mina@gmial.com')),
    'the email went where it was typed: a suggestion is not a correction',
  )

  // The suggestion's button opens the form with the corrected address, signing nothing.
  const before = await env.db.selectFrom('signatures').select('id').execute()
  const again = await env.app.inject({
    method: 'POST',
    url: `/campaigns/${slug}/form`,
    ...form({ email: 'mina@gmail.com' }),
  })
  t.equal(again.statusCode, 200)
  t.match(again.body, 'id="email" name="email" type="email"')
  t.match(again.body, 'value="mina@gmail.com"', 'the corrected address is filled in')
  t.notMatch(again.body, 'class="error"', 'no field is called wrong yet')
  t.equal((await env.db.selectFrom('signatures').select('id').execute()).length, before.length, 'nothing signed')
})

t.test('a repeat signature and a bot get the same thanks page as a first signature', async (t) => {
  const first = await signAndThank('first.time@example.org')
  // another address signs and confirms, then signs again within the cooldown
  const { cookie } = await signAndThank('been.here@example.org')
  t.ok(cookie)
  const mail = await eventually(
    async () => env.smtp.messages.find((m) => m.envelopeTo.includes('been.here@example.org')),
    30_000,
    'the confirmation',
  )
  const confirmed = await env.app.inject({ method: 'POST', url: confirmPath(mail) })
  t.equal(confirmed.statusCode, 200)
  const repeat = await signAndThank('been.here@example.org')
  const bot = await signAndThank('bot.here@example.org', 'en', { website: 'http://spam.example' })
  const bare = (body: string, address: string) => body.replaceAll(address, 'ADDRESS')
  t.equal(bare(repeat.page.body, 'been.here@example.org'), bare(first.page.body, 'first.time@example.org'))
  t.equal(bare(bot.page.body, 'bot.here@example.org'), bare(first.page.body, 'first.time@example.org'))
  t.ok(bot.cookie, 'the bot gets the cookie a person gets')
})

t.test('without the cookie, or with one not sealed by us, the page names no address', async (t) => {
  for (const typed of [undefined, 'forged', Buffer.from('{"email":"x@y.z","at":1}').toString('base64url')]) {
    const page = await env.app.inject({ url: `/campaigns/${slug}/thanks`, cookies: typed ? { typed } : {} })
    t.equal(page.statusCode, 200)
    t.notMatch(page.body, 'class="address"')
    t.match(page.body, 'Check that you typed your address correctly')
    t.match(page.body, 'To be sent another email, sign again with the same address.')
  }
})

t.test('"what happens next" on the thanks and confirmed pages: delivery, alerts as asked, and sharing', async (t) => {
  const withAlerts = await signAndThank('alerts.yes@example.org', 'en', { alerts: 'on' })
  t.match(withAlerts.page.body, 'What happens next')
  t.match(withAlerts.page.body, 'Confirm your signature with the link in the email.')
  t.match(withAlerts.page.body, /we deliver the petition to [^<]+ with the name, country and comment/)
  t.match(withAlerts.page.body, 'Once you confirm, you will get an email when we publish a new report')
  t.match(withAlerts.page.body, `value="http://ua.test/campaigns/${slug}"`, 'the link to share')
  const without = await signAndThank('alerts.no@example.org', 'ko')
  t.match(without.page.body, '다음 단계')
  t.match(without.page.body, '<a href="/alerts">', 'no alerts asked: where to get them')
  t.notMatch(without.page.body, '서명을 확인하면, 이 사건에 관한')

  const mail = await eventually(
    async () => env.smtp.messages.find((m) => m.envelopeTo.includes('alerts.yes@example.org')),
    30_000,
    'the confirmation',
  )
  const done = await env.app.inject({ method: 'POST', url: confirmPath(mail), headers: { cookie: 'lang=zh' } })
  t.equal(done.statusCode, 200)
  t.match(done.body, '接下来会怎样')
  t.notMatch(done.body, '请用邮件中的链接确认你的签名', 'confirmed: no step to confirm')
  t.match(done.body, '此事件有新报告发布时，我们会给你发邮件', 'the alerts asked for have started')
  t.match(done.body, `value="http://ua.test/campaigns/${slug}"`)
})
