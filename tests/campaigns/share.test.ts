// Passing a campaign on (contract, "Reach"): Open Graph and Twitter card tags in the reader's
// language, a share card drawn as a 1200x630 PNG and redrawn only when its text changes, and plain
// share links, each service's address URL-encoded.
import { sql } from 'kysely'
import t from 'tap'
import { shareScript } from '../../src/assets.ts'
import { loadDemo, DEMO_SLUG } from '../../src/modules/demo/service.ts'
import { flushCounts } from '../../src/modules/counts/service.ts'
import { roundedCount, wrap } from '../../src/present/share/card.ts'
import { liveCampaign, organizerAuth, setup, type TestEnv } from '../helper.ts'

const env = await setup(t, { workers: false })
await loadDemo(env.db)
const BASE = 'http://ua.test'
const LANGS = ['en', 'ko', 'zh'] as const

function meta(html: string, key: string): string | undefined {
  const attr = key.startsWith('twitter:') ? 'name' : 'property'
  const found = [...html.matchAll(new RegExp(`<meta ${attr}="${key}" content="([^"]*)">`, 'g'))]
  return found.length === 1 ? unescape(found[0]![1]!) : undefined
}

function unescape(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(png: Buffer): { width: number; height: number } | undefined {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  if (!png.subarray(0, 8).equals(signature) || png.toString('ascii', 12, 16) !== 'IHDR') return undefined
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) }
}

t.test('the campaign page carries Open Graph and Twitter card tags in the reader’s language', async (t) => {
  const titles = new Set<string>()
  for (const lang of LANGS) {
    const page = await env.app.inject({ url: `/campaigns/${DEMO_SLUG}?lang=${lang}` })
    const h1 = unescape(/<h1>([^<]+)<\/h1>/.exec(page.body)![1]!)
    const summary = unescape(/<p class="summary">([^<]+)<\/p>/.exec(page.body)![1]!)
    t.equal(meta(page.body, 'og:title'), h1, `${lang}: og:title is the page's title`)
    t.equal(meta(page.body, 'og:description'), summary, `${lang}: og:description is its summary`)
    t.equal(meta(page.body, 'og:url'), `${BASE}/campaigns/${DEMO_SLUG}?lang=${lang}`, `${lang}: og:url`)
    t.equal(meta(page.body, 'og:locale'), { en: 'en_US', ko: 'ko_KR', zh: 'zh_CN' }[lang], `${lang}: og:locale`)
    t.equal(meta(page.body, 'og:image'), `${BASE}/campaigns/${DEMO_SLUG}/card.png?hl=${lang}`, `${lang}: og:image`)
    t.equal(meta(page.body, 'og:image:width'), '1200')
    t.equal(meta(page.body, 'og:image:height'), '630')
    t.equal(meta(page.body, 'twitter:card'), 'summary_large_image')
    titles.add(h1)
  }
  t.equal(titles.size, 3, 'a title per language')
})

t.test('the tracker and the home page carry their own tags and card', async (t) => {
  for (const [path, card] of [
    ['/reports', '/reports/card.png'],
    ['/', '/card.png'],
  ] as const) {
    const seen = new Set<string | undefined>()
    for (const lang of LANGS) {
      const page = await env.app.inject({ url: `${path}?lang=${lang}` })
      const title = meta(page.body, 'og:title')
      seen.add(title)
      const pageTitle = /<title>([^<]+)<\/title>/.exec(page.body)![1]!
      t.ok(title && pageTitle.includes(title), `${path} ${lang}: og:title is the page's own`)
      t.ok(meta(page.body, 'og:description'), `${path} ${lang}: a description`)
      t.equal(meta(page.body, 'og:url'), `${BASE}${path}?lang=${lang}`)
      t.equal(meta(page.body, 'og:image'), `${BASE}${card}?hl=${lang}`)
      t.equal(meta(page.body, 'twitter:card'), 'summary_large_image')
      const image = await env.app.inject({ url: `${card}?hl=${lang}` })
      t.equal(image.statusCode, 200)
      t.same(pngSize(image.rawPayload), { width: 1200, height: 630 }, `${card} ${lang}: a 1200x630 PNG`)
    }
    t.equal(seen.size, 3, `${path}: a title per language`)
  }
  const thanks = await env.app.inject({ url: `/campaigns/${DEMO_SLUG}/thanks` })
  t.notMatch(thanks.body, 'og:title', 'a private page names no card')
})

t.test('a card is a 1200x630 PNG per language, cached, and sets no language cookie', async (t) => {
  const bodies = new Set<string>()
  for (const lang of LANGS) {
    const res = await env.app.inject({ url: `/campaigns/${DEMO_SLUG}/card.png?hl=${lang}` })
    t.equal(res.statusCode, 200)
    t.equal(res.headers['content-type'], 'image/png')
    t.same(pngSize(res.rawPayload), { width: 1200, height: 630 }, `${lang}: IHDR says 1200x630`)
    t.equal(res.headers['set-cookie'], undefined, `${lang}: no cookie`)
    t.match(res.headers['cache-control'], /public/)
    bodies.add(res.rawPayload.toString('base64'))
    const again = await env.app.inject({
      url: `/campaigns/${DEMO_SLUG}/card.png?hl=${lang}`,
      headers: { 'if-none-match': String(res.headers.etag) },
    })
    t.equal(again.statusCode, 304, `${lang}: a client with the card gets no bytes`)
  }
  t.equal(bodies.size, 3, 'a different card per language')
  const missing = await env.app.inject({ url: '/campaigns/no-such-campaign/card.png' })
  t.equal(missing.statusCode, 404)
})

/** Makes the campaign's confirmed count `total`, counted as the app counts (deltas, then a flush). */
async function countTo(env: TestEnv, slug: string, total: number) {
  const row = await env.db
    .selectFrom('campaigns')
    .select(['id', 'signature_count'])
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow()
  const n = total - Number(row.signature_count)
  await sql`
    insert into signatures (campaign_id, name, email, email_key, country, public_name, wants_alerts, locale, status,
                            confirm_nonce, confirm_expires_at, confirmed_at)
    select ${row.id}, 'S', 's' || g || '-' || ${total} || '@example.org', 's' || g || '-' || ${total}, 'KR', false,
           false, 'en', 'confirmed', decode(md5(random()::text), 'hex'), now() + interval '1 day', now()
      from generate_series(1, ${n}) g`.execute(env.db)
  await env.db.insertInto('signature_count_deltas').values({ campaign_id: row.id, delta: n }).execute()
  await flushCounts(env.db)
  env.app.present.campaignPages.forget(slug)
}

t.test('a card is redrawn when its title changes, not when one more person signs below the next step', async (t) => {
  const slug = await liveCampaign(env, { goal: 5000 })
  const card = async () => (await env.app.inject({ url: `/campaigns/${slug}/card.png?hl=en` })).rawPayload
  await countTo(env, slug, 1230)
  const first = await card()
  await countTo(env, slug, 1231)
  t.ok((await card()).equals(first), 'one more signature (1,231 is still "1,200+") draws the same card')
  await countTo(env, slug, 1299)
  t.ok((await card()).equals(first), 'nor does 1,299')
  await countTo(env, slug, 1300)
  const stepped = await card()
  t.notOk(stepped.equals(first), 'the next step ("1,300+") draws a new card')

  const auth = await organizerAuth(env.db)
  const patched = await env.app.inject({
    method: 'PATCH',
    url: `/api/v1/campaigns/${slug}`,
    headers: { authorization: auth },
    payload: { title: 'Free them all, now' },
  })
  t.equal(patched.statusCode, 200)
  env.app.present.campaignPages.forget(slug)
  const retitled = await card()
  t.notOk(retitled.equals(stepped), 'a new title draws a new card')
  t.same(pngSize(retitled), { width: 1200, height: 630 })
})

t.test('a count is drawn rounded down to two significant digits', async (t) => {
  t.same(roundedCount(0), { value: 0, more: false })
  t.same(roundedCount(9), { value: 9, more: false })
  t.same(roundedCount(99), { value: 99, more: false })
  t.same(roundedCount(100), { value: 100, more: true })
  t.same(roundedCount(129), { value: 120, more: true })
  t.same(roundedCount(1234), { value: 1200, more: true })
  t.same(roundedCount(12_345), { value: 12_000, more: true })
  t.same(roundedCount(987_654), { value: 980_000, more: true })
})

t.test('a long title is wrapped at spaces, or between Han characters, and cut with an ellipsis', async (t) => {
  t.same(wrap('Free the detained refugees now', 10, 3), ['Free the detained', 'refugees now'])
  t.same(wrap('Free the detained refugees now', 10, 1), ['Free the detained…'])
  t.same(wrap('停止强制遣返脱北难民停止强制遣返脱北难民', 8, 2), ['停止强制遣返脱北', '难民停止强制遣…'])
  t.same(
    wrap('为身处危险的人们采取紧急行动：签署请愿、关注事件报告，有新情况', 26, 2),
    ['为身处危险的人们采取紧急行动：签署请愿、关注事件报告，', '有新情况'],
    'a comma never starts a line',
  )
  t.same(wrap('중국은 탈북 난민 강제북송을 멈춰라', 8, 3), ['중국은 탈북 난민', '강제북송을', '멈춰라'])
})

function links(html: string): Map<string, string> {
  const list = /<ul class="share-links"[^>]*>([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? ''
  return new Map(
    [...list.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].map((m) => [unescape(m[2]!), unescape(m[1]!)]),
  )
}

t.test('the thanks page lists a plain link per service, the address and text URL-encoded', async (t) => {
  for (const lang of LANGS) {
    const page = await env.app.inject({ url: `/campaigns/${DEMO_SLUG}/thanks?lang=${lang}` })
    const title = unescape(/data-share-title="([^"]+)"/.exec(page.body)![1]!)
    const text = { en: 'Sign the petition: ', ko: '청원에 서명해 주세요: ', zh: '请签署请愿：' }[lang] + title
    const url = `${BASE}/campaigns/${DEMO_SLUG}?lang=${lang}`
    const found = links(page.body)
    const u = encodeURIComponent(url)
    const s = encodeURIComponent(text)
    t.equal(found.get('LINE'), `https://line.me/R/share?text=${encodeURIComponent(`${text} ${url}`)}`, `${lang}: LINE`)
    t.equal(found.get('Telegram'), `https://t.me/share/url?url=${u}&text=${s}`, `${lang}: Telegram`)
    t.equal(found.get('WhatsApp'), `https://wa.me/?text=${encodeURIComponent(`${text} ${url}`)}`, `${lang}: WhatsApp`)
    t.equal(found.get('X'), `https://x.com/intent/post?text=${s}&url=${u}`, `${lang}: X`)
    t.equal(found.get('Facebook'), `https://www.facebook.com/sharer/sharer.php?u=${u}`, `${lang}: Facebook`)
    const weibo = { en: 'Weibo', ko: '웨이보', zh: '微博' }[lang]
    t.equal(found.get(weibo), `https://service.weibo.com/share/share.php?url=${u}&title=${s}`, `${lang}: Weibo`)
    const email = { en: 'Email', ko: '이메일', zh: '电子邮件' }[lang]
    t.equal(found.get(email), `mailto:?subject=${s}&body=${encodeURIComponent(`${text}\n\n${url}`)}`, `${lang}: email`)
    t.equal(found.size, 7, `${lang}: seven services`)
    t.match(page.body, `<input id="share-url" type="url" readonly value="${BASE}/campaigns/${DEMO_SLUG}"`, 'copy-link')
    t.match(page.body, `<script src="${shareScript.url}" defer></script>`, 'the first-party share script')
    t.notMatch(page.body, /<script[^>]+src="(?!\/)/, 'no script from elsewhere')
    t.match(
      page.body,
      /<button type="button" data-share="native" hidden>/,
      'the share sheet button waits for the script',
    )
  }
  const script = await env.app.inject({ url: shareScript.url })
  t.equal(script.statusCode, 200)
  t.match(script.headers['content-type'], /^text\/javascript/)
  t.match(script.body, 'navigator.share')
})

t.test('the campaign page links its share page, which lists every service', async (t) => {
  const page = await env.app.inject({ url: `/campaigns/${DEMO_SLUG}?lang=ko` })
  t.match(page.body, `<a href="/campaigns/${DEMO_SLUG}/share">`)
  t.match(page.body, `value="${BASE}/campaigns/${DEMO_SLUG}"`, 'and the link to copy')
  const share = await env.app.inject({ url: `/campaigns/${DEMO_SLUG}/share?lang=ko` })
  t.equal(share.statusCode, 200)
  t.equal(links(share.body).size, 7)
  t.match(
    links(share.body).get('Telegram'),
    `url=${encodeURIComponent(`${BASE}/campaigns/${DEMO_SLUG}?lang=ko`)}&text=${encodeURIComponent('청원에 서명해 주세요: ')}`,
  )
  t.notMatch(share.body, 'rel="canonical"', 'kept out of search: it says nothing the campaign page does not')
  const missing = await env.app.inject({ url: '/campaigns/no-such-campaign/share' })
  t.equal(missing.statusCode, 404)
})
