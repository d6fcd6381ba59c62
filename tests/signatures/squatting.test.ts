// Signature squatting (issue 19, finding 1): someone signs first as another person's address, with
// a name, a comment, "show my name" and alerts of their choosing. The owner's own request must
// replace those choices, and the confirm link must confirm what its page shows.
import t from 'tap'
import { confirmPath, eventually, liveCampaign, setup, type TestEnv } from '../helper.ts'

const victim = 'minji.kim@example.org'
const squatter = {
  name: 'Squatter Name',
  email: victim,
  country: 'US',
  comment: 'A comment the owner never wrote: see https://evil.example/login',
  publicName: true,
  alerts: true,
}
const owner = { name: 'Kim Min-ji', email: victim, country: 'KR' }

const sign = (env: TestEnv, slug: string, payload: object) =>
  env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload })

/** Waits until the mail worker has decided every repeat (sent its email or, in the cooldown, none). */
const repeatsDecided = (env: TestEnv) =>
  eventually(
    async () => {
      const open = await env.db
        .selectFrom('outbox')
        .select('id')
        .where('done_at', 'is', null)
        .where('kind', 'in', ['signature.repeat', 'signature.confirm'])
        .execute()
      return open.length === 0
    },
    10_000,
    'the repeat decided',
  )

t.test(
  "the owner's later private request replaces a squatter's choices, and the squatter's email confirms hers",
  async (t) => {
    const env = await setup(t, { env: { EMAIL_COOLDOWN_SECONDS: '600' } })
    const slug = await liveCampaign(env)

    t.equal((await sign(env, slug, squatter)).statusCode, 202)
    const [mail] = await env.smtp.waitFor(1)
    // The email says what it confirms: the owner can see it is not her request.
    t.match(mail!.parsed.text, /Squatter Name/)
    t.match(mail!.parsed.text, /A comment the owner never wrote/)
    t.match(mail!.parsed.text, /United States/)
    t.match(mail!.parsed.text, /Name shown publicly: Yes/)
    t.match(mail!.parsed.text, /Email alerts: Yes/)
    t.match(mail!.parsed.html, /Squatter Name/)
    t.match(mail!.parsed.text, /confirms your latest request/)
    // The form must not relay a stranger's link to any inbox under our name.
    t.same([...(mail!.parsed.text ?? '').matchAll(/https?:\/\/\S+/g)].length, 1, 'one link: the confirm link')
    t.notMatch(mail!.parsed.text, /evil\.example/)
    t.notMatch(mail!.parsed.html, /evil\.example/)

    const first = await sign(env, slug, squatter)
    const repeat = await sign(env, slug, owner)
    t.equal(repeat.body, first.body, 'a repeat answers as a first request does')
    await repeatsDecided(env)
    t.equal(env.smtp.messages.length, 1, 'within the cooldown the owner gets no email of her own')

    // She presses the button in the email she has: the page shows her own request.
    const path = confirmPath(mail!)
    const page = await env.app.inject({ method: 'GET', url: path })
    t.match(page.body, /Kim Min-ji/)
    t.match(page.body, /South Korea/)
    t.notMatch(page.body, /Squatter Name/)
    t.notMatch(page.body, /never wrote/)
    t.match(page.body, /your name is not shown/)
    t.match(page.body, /confirms the latest request made with this address/)
    const shown = /name="shown" value="([^"]+)"/.exec(page.body)?.[1]
    t.ok(shown, 'the button sends back what the page showed')

    const done = await env.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `shown=${shown}`,
    })
    t.match(done.body, /Thank you, your signature counts/)
    const row = await env.db
      .selectFrom('signatures')
      .select(['status', 'name', 'country', 'comment', 'public_name', 'wants_alerts'])
      .executeTakeFirstOrThrow()
    t.same(row, {
      status: 'confirmed',
      name: 'Kim Min-ji',
      country: 'KR',
      comment: null,
      public_name: false,
      wants_alerts: false,
    })
    t.equal((await env.db.selectFrom('subscribers').select('id').execute()).length, 0, 'no alerts she did not ask for')
    const campaignPage = await env.app.inject({ url: `/campaigns/${slug}` })
    t.notMatch(campaignPage.body, /Squatter Name|Kim Min-ji/, 'no public name')
  },
)

t.test('a request that changed after the page was opened is shown again, not confirmed', async (t) => {
  const env = await setup(t)
  const slug = await liveCampaign(env)
  await sign(env, slug, owner)
  const [mail] = await env.smtp.waitFor(1)
  const path = confirmPath(mail!)
  const page = await env.app.inject({ method: 'GET', url: path })
  const shown = /name="shown" value="([^"]+)"/.exec(page.body)![1]!
  await sign(env, slug, squatter)
  const again = await env.app.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `shown=${shown}`,
  })
  t.match(again.body, /changed after you opened this page/)
  t.match(again.body, /Squatter Name/, 'the page shows the request as it is now')
  t.equal((await env.db.selectFrom('signatures').select('status').executeTakeFirstOrThrow()).status, 'pending')
})

t.test('a confirmed signature keeps its choices whatever a repeat asks', async (t) => {
  const env = await setup(t)
  const slug = await liveCampaign(env)
  await sign(env, slug, owner)
  const [mail] = await env.smtp.waitFor(1)
  await env.app.inject({ method: 'POST', url: confirmPath(mail!) })
  await sign(env, slug, squatter)
  await env.smtp.waitFor(2)
  const row = await env.db
    .selectFrom('signatures')
    .select(['status', 'name', 'country', 'comment', 'public_name', 'wants_alerts'])
    .executeTakeFirstOrThrow()
  t.same(row, {
    status: 'confirmed',
    name: 'Kim Min-ji',
    country: 'KR',
    comment: null,
    public_name: false,
    wants_alerts: false,
  })
})

t.test('the confirm page and email show the choices in Korean and Chinese', async (t) => {
  const env = await setup(t)
  const slug = await liveCampaign(env)
  const form = (lang: string, email: string) =>
    env.app.inject({
      method: 'POST',
      url: `/campaigns/${slug}?lang=${lang}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        name: '김민지',
        email,
        country: 'KR',
        comment: '석방하라',
        publicName: 'on',
      }).toString(),
    })
  await form('ko', 'ko@example.org')
  await form('zh', 'zh@example.org')
  const mails = await env.smtp.waitFor(2)
  const byTo = (to: string) => mails.find((m) => m.envelopeTo[0] === to)!
  t.match(byTo('ko@example.org').parsed.text, /이름 공개: 예/)
  t.match(byTo('ko@example.org').parsed.text, /대한민국/)
  t.match(byTo('zh@example.org').parsed.text, /公开显示姓名: 是/)
  t.match(byTo('zh@example.org').parsed.text, /韩国/)
  const ko = await env.app.inject({ url: `${confirmPath(byTo('ko@example.org'))}?lang=ko` })
  t.match(ko.body, /확인할 내용/)
  t.match(ko.body, /석방하라/)
  t.match(ko.body, /마지막에 한 요청/)
  const zh = await env.app.inject({ url: `${confirmPath(byTo('zh@example.org'))}?lang=zh` })
  t.match(zh.body, /此操作确认的内容/)
  t.match(zh.body, /最新请求/)
})

t.test("repeats never keep a pending signature past its first request's CONFIRM_TOKEN_DAYS", async (t) => {
  const env = await setup(t)
  const slug = await liveCampaign(env)
  await sign(env, slug, squatter)
  await env.smtp.waitFor(1)
  // The first request was made six days ago.
  const sixDaysAgo = new Date(Date.now() - 6 * 86_400_000)
  const firstExpiry = new Date(sixDaysAgo.getTime() + env.config.confirmTokenDays * 86_400_000)
  await env.db.updateTable('signatures').set({ created_at: sixDaysAgo, confirm_expires_at: firstExpiry }).execute()
  for (let i = 0; i < 3; i++) await sign(env, slug, squatter)
  const mails = await env.smtp.waitFor(4)
  const row = await env.db.selectFrom('signatures').select(['confirm_expires_at']).executeTakeFirstOrThrow()
  t.equal(row.confirm_expires_at.getTime(), firstExpiry.getTime(), 'the repeats did not extend it')
  t.match(mails[3]!.parsed.text, /works until/)

  // Expired, it is over: it can reach retention, and a new request starts afresh.
  await env.db
    .updateTable('signatures')
    .set({ confirm_expires_at: new Date(Date.now() - 1000) })
    .execute()
  const stale = confirmPath(mails[0]!)
  await sign(env, slug, owner)
  const fresh = await env.smtp.waitFor(5)
  const page = await env.app.inject({ url: confirmPath(fresh[4]!) })
  t.match(page.body, /Kim Min-ji/, 'a new link for the new request')
  t.match((await env.app.inject({ url: stale })).body, /This link does not work/, 'the old link stays dead')
  t.equal((await env.db.selectFrom('signatures').select('id').execute()).length, 1)
})
