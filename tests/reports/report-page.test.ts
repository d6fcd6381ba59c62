import t from 'tap'
import { sql } from 'kysely'
import { runDigest } from '../../src/modules/digests/service.ts'
import { eventually, liveCampaign, openQueue, setup, sleep } from '../helper.ts'
import { activeSubscriber, jilinReport, mailsTo, publish } from '../alerts/helpers.ts'
import { organizer } from './helpers.ts'

/** The value after `<dt>label</dt>` in a page's facts list. */
function fact(html: string, label: string): string | undefined {
  return new RegExp(`<dt>${label}</dt><dd[^>]*>([\\s\\S]*?)</dd>`).exec(html)?.[1]
}

t.test('a published report has its own page in en, ko and zh, with its names, source and campaign', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  const org = await organizer(env)
  const id = await org.publish({ campaign: slug } as never)

  const en = await env.app.inject({ url: `/reports/${id}?lang=en` })
  t.equal(en.statusCode, 200)
  t.match(en.headers['content-type'], /^text\/html/)
  t.match(en.body, /<html lang="en">/)
  t.match(en.body, /<h1 id="report-title">Detention: Tumen, Jilin<\/h1>/)
  t.match(en.body, /At least 325 North Koreans believed held in Tumen\./, 'its summary')
  t.equal(fact(en.body, 'Kind'), 'Detention')
  t.equal(fact(en.body, 'Date'), '<time datetime="2021-07-22">July 22, 2021</time>')
  t.equal(fact(en.body, 'People'), '325 people')
  t.equal(fact(en.body, 'Place'), 'Tumen')
  t.equal(fact(en.body, 'Province'), 'Jilin')
  t.equal(fact(en.body, 'Country'), 'China')
  t.equal(fact(en.body, 'How sure'), 'Credible')
  t.equal(
    fact(en.body, 'Source'),
    '<a href="https://www.hrw.org/news/2021/07/22/china-forcibly-return-refugees-north-korea" rel="nofollow noopener noreferrer">Human Rights Watch</a>',
    "an http(s) source is a link with the tracker's rel",
  )
  t.equal(fact(en.body, 'Related campaign'), `<a href="/campaigns/${slug}">Free the detained refugees</a>`)
  t.match(en.body, `<link rel="canonical" href="http://ua.test/reports/${id}?lang=en">`)
  for (const l of ['en', 'ko', 'zh'])
    t.match(en.body, `<link rel="alternate" hreflang="${l}" href="http://ua.test/reports/${id}?lang=${l}">`)
  t.match(en.body, `<link rel="alternate" hreflang="x-default" href="http://ua.test/reports/${id}">`)
  t.match(en.body, `href="/reports#report-${id}"`, 'a way back to the report on the tracker')

  // Written in English with no translation: the known names of the place and province stand in.
  const ko = await env.app.inject({ url: `/reports/${id}?lang=ko` })
  t.equal(ko.statusCode, 200)
  t.match(ko.body, /<html lang="ko">/)
  t.equal(fact(ko.body, '장소'), '투먼')
  t.equal(fact(ko.body, '지역\\(성\\)'), '지린성')
  t.equal(fact(ko.body, '국가'), '중국')
  t.match(ko.body, /<h1 id="report-title">구금: 지린성 투먼<\/h1>/)

  const zh = await env.app.inject({ url: `/reports/${id}?lang=zh` })
  t.equal(zh.statusCode, 200)
  t.match(zh.body, /<html lang="zh-Hans">/)
  t.match(zh.body, /图们/)
  t.match(zh.body, /吉林省/)
  t.match(zh.body, /中国/)
})

t.test('a draft, an unknown id and a malformed id are 404, never 500', async (t) => {
  const env = await setup(t, { workers: false })
  const org = await organizer(env)
  const draft = await org.draft({ summary: 'A draft nobody may see.' })
  const published = await org.publish()
  for (const id of [
    draft,
    String(Number(published) + 1000),
    'abc',
    '1e3',
    '-1',
    '0',
    '12abc',
    '99999999999999999999',
  ]) {
    const res = await env.app.inject({ url: `/reports/${encodeURIComponent(id)}` })
    t.equal(res.statusCode, 404, `/reports/${id}`)
    t.match(res.headers['content-type'], /^text\/html/, 'the not-found page, for people')
    t.notMatch(res.body, /A draft nobody may see/)
  }
  const ko = await env.app.inject({ url: `/reports/${draft}?lang=ko` })
  t.equal(ko.statusCode, 404)
  t.match(ko.body, /<html lang="ko">/, "in the reader's language")
  t.equal((await env.app.inject({ url: `/reports/${published}` })).statusCode, 200)
})

t.test('a retracted report keeps its page, marked, with its correction', async (t) => {
  const env = await setup(t, { workers: false })
  const org = await organizer(env)
  const id = await org.publish({ place: { name: 'Yanji', province: 'Jilin' } })
  await org.retract(id, 'The figure came from a misread source.')
  // The page of this instance may be a second old.
  const html = await eventually(async () => {
    const res = await env.app.inject({ url: `/reports/${id}?lang=en` })
    return res.statusCode === 200 && /Retracted<\/span>/.test(res.body) ? res.body : undefined
  }, 5000)
  t.match(html, /<strong>Correction:<\/strong> The figure came from a misread source\./)
  t.match(html, /is not counted in the totals/)
  t.ok(fact(html, 'Retracted'), 'the day it was retracted')
})

t.test('a source that is not http(s) is shown as text, never as a link', async (t) => {
  const env = await setup(t, { workers: false })
  const org = await organizer(env)
  const id = await org.publish({ sourceName: 'Local contact' })
  // The API takes http(s) only; a row from before that rule, or from elsewhere, may hold anything.
  await sql`update reports set source_url = 'javascript:alert(1)' where id = ${id}`.execute(env.db)
  const html = (await env.app.inject({ url: `/reports/${id}` })).body
  t.notMatch(html, /javascript:/)
  t.equal(fact(html, 'Source'), 'Local contact')
})

t.test('the tracker and the feed link each report to its page', async (t) => {
  const env = await setup(t, { workers: false })
  const org = await organizer(env)
  const id = await org.publish()
  const tracker = (await env.app.inject({ url: '/reports' })).body
  t.match(tracker, `<a href="/reports/${id}">Detention: Tumen, Jilin</a>`)
  const feed = (await env.app.inject({ url: '/reports.atom?lang=ko' })).body
  t.match(feed, `<link rel="alternate" type="text/html" href="http://ua.test/reports/${id}?lang=ko"/>`)
  t.match(feed, `<id>http://ua.test/reports#report-${id}</id>`, 'the entry keeps the id it always had')
})

t.test("an alert email links the report page in the recipient's language, with its names", async (t) => {
  const env = await setup(t)
  await activeSubscriber(env, 'ko.reader@example.org', { locale: 'ko' })
  await activeSubscriber(env, 'en.reader@example.org', { locale: 'en' })
  const { reportId } = await publish(env, jilinReport)
  const [ko] = await eventually(async () => {
    const alerts = mailsTo(env, 'ko.reader@example.org').slice(1)
    return alerts.length ? alerts : undefined
  }, 20_000)
  t.match(ko!.parsed.text, `http://ua.test/reports/${reportId}?lang=ko`)
  t.match(ko!.parsed.html, `href="http://ua.test/reports/${reportId}?lang=ko"`)
  t.match(ko!.parsed.subject, /지린성 창바이현/, 'the place and province in Korean')
  const [en] = await eventually(async () => {
    const alerts = mailsTo(env, 'en.reader@example.org').slice(1)
    return alerts.length ? alerts : undefined
  }, 20_000)
  t.match(en!.parsed.text, `http://ua.test/reports/${reportId}?lang=en`)
  const page = await env.app.inject({ url: `/reports/${reportId}?lang=ko` })
  t.equal(page.statusCode, 200, 'the linked page is there')
})

t.test("a daily digest links each report to its page, in the reader's language and names", async (t) => {
  const env = await setup(t)
  await activeSubscriber(env, 'zh.daily@example.org', { locale: 'zh', frequency: 'daily' })
  const { reportId } = await publish(env, jilinReport)
  t.equal(await runDigest(env.db, openQueue(t, env, 'deliveries'), '2026-01-01', new Date()), 1)
  const [digest] = await eventually(async () => {
    const mails = mailsTo(env, 'zh.daily@example.org').slice(1)
    return mails.length ? mails : undefined
  }, 20_000)
  t.match(digest!.parsed.text, `http://ua.test/reports/${reportId}?lang=zh`)
  t.match(digest!.parsed.html, `href="http://ua.test/reports/${reportId}?lang=zh"`)
  t.match(digest!.parsed.text, /长白县/, 'the place in Chinese')
  t.match(digest!.parsed.text, /吉林省/, 'the province in Chinese')
})

t.test("the alerts form names the provinces of published reports in the reader's language", async (t) => {
  const env = await setup(t, { workers: false })
  const org = await organizer(env)
  await org.publish()
  await org.publish({ place: { name: 'Hyesan', province: 'Ryanggang', country: 'KP' } })
  const ko = (await env.app.inject({ url: '/alerts?lang=ko' })).body
  t.match(ko, /<label for="p-\d+">지린성<\/label>/)
  t.match(ko, /<label for="p-\d+">량강도<\/label>/)
  const zh = (await env.app.inject({ url: '/alerts?lang=zh' })).body
  t.match(zh, /<label for="p-\d+">吉林省<\/label>/)
  t.match(zh, /<label for="p-\d+">两江道<\/label>/)
})

t.test('a crowd on one report page is answered from memory for a second, then sees changes', async (t) => {
  const env = await setup(t, { workers: false })
  const org = await organizer(env)
  const id = await org.publish()
  const pages = await Promise.all(Array.from({ length: 50 }, () => env.app.inject({ url: `/reports/${id}?lang=zh` })))
  t.same([...new Set(pages.map((p) => p.statusCode))], [200])
  t.equal(new Set(pages.map((p) => p.body)).size, 1, 'the same page for everyone')
  // Changed behind the app's back: the instance keeps the page it has, so readers cost no query.
  await sql`update reports set summary = 'Changed in the database.' where id = ${id}`.execute(env.db)
  const cached = await env.app.inject({ url: `/reports/${id}?lang=zh` })
  t.notMatch(cached.body, /Changed in the database/, "served from this instance's memory")
  await sleep(1100)
  const fresh = await env.app.inject({ url: `/reports/${id}?lang=zh` })
  t.match(fresh.body, /Changed in the database/, 'and a second later, read again')
})

t.test('the cached page names its own address, whichever form of it the first reader used', async (t) => {
  const env = await setup(t, { workers: false })
  const org = await organizer(env)
  const id = await org.publish({})
  const first = await env.app.inject({ url: `/reports/${id}/?lang=ko` })
  t.equal(first.statusCode, 200)
  const next = await env.app.inject({ url: `/reports/${id}?lang=ko` })
  t.match(next.body, new RegExp(`<link rel="canonical" href="http://ua.test/reports/${id}\\?lang=ko">`))
  // (Its share card, /reports/:id/card.png, is an address of its own.)
  t.notMatch(next.body, new RegExp(`/reports/${id}/(?!card\\.png)`), 'no trailing-slash address in what everyone gets')
})
