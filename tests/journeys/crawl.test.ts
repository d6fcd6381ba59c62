// What a search engine reads: robots.txt, the icon, and each public page's description,
// canonical address and alternates in the three languages, absolute from PUBLIC_URL.
import t from 'tap'
import { loadDemo, DEMO_SLUG } from '../../src/modules/demo/service.ts'
import { setup } from '../helper.ts'

const env = await setup(t, { workers: false })
await loadDemo(env.db)
const BASE = 'http://ua.test'

t.test('robots.txt lets public pages be read and keeps the console and token links out', async (t) => {
  const res = await env.app.inject({ url: '/robots.txt' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/plain/)
  const lines = res.body.split('\n')
  t.ok(lines.includes('User-agent: *'))
  for (const path of [
    '/admin',
    '/confirm/',
    '/alerts/confirm/',
    '/alerts/preferences/',
    '/u/',
    '/privacy/erase',
    '/api/',
  ]) {
    t.ok(lines.includes(`Disallow: ${path}`), `disallows ${path}`)
  }
  t.ok(lines.includes('Allow: /'))
  t.notOk(
    lines.some((l) => l === 'Disallow: /'),
    'the site itself is not hidden',
  )
})

t.test('the favicon is ours, small, and /favicon.ico leads to it', async (t) => {
  const icon = await env.app.inject({ url: '/favicon.svg' })
  t.equal(icon.statusCode, 200)
  t.equal(icon.headers['content-type'], 'image/svg+xml')
  t.ok(icon.rawPayload.length < 1024, `${icon.rawPayload.length} bytes`)
  const ico = await env.app.inject({ url: '/favicon.ico' })
  t.equal(ico.statusCode, 301)
  t.equal(ico.headers.location, '/favicon.svg')
  const home = await env.app.inject({ url: '/' })
  t.match(home.body, '<link rel="icon" href="/favicon.svg" type="image/svg+xml">')
  t.notMatch(home.body, /https?:\/\/(?!ua\.test)[^"]*\.(svg|ico|png)/, 'no icon from elsewhere')
})

const PUBLIC = ['/', `/campaigns/${DEMO_SLUG}`, '/reports', '/alerts', '/privacy/erase', '/about', '/privacy']

for (const path of PUBLIC) {
  t.test(`${path} has a description, its canonical address and alternates in en, ko and zh`, async (t) => {
    for (const lang of ['en', 'ko', 'zh']) {
      const res = await env.app.inject({ url: `${path}?lang=${lang}` })
      t.equal(res.statusCode, 200)
      const descriptions = [...res.body.matchAll(/<meta name="description" content="([^"]+)">/g)]
      t.equal(descriptions.length, 1, `${lang}: one description`)
      t.ok((descriptions[0]?.[1] ?? '').length > 20, `${lang}: it says something`)
      if (path === '/privacy/erase') {
        t.notMatch(res.body, 'rel="canonical"', 'a page robots.txt hides names no canonical address')
        continue
      }
      const at = path === '/' ? `${BASE}/` : `${BASE}${path}`
      t.match(res.body, `<link rel="canonical" href="${at}?lang=${lang}">`, `${lang}: canonical`)
      for (const l of ['en', 'ko', 'zh']) {
        t.match(res.body, `<link rel="alternate" hreflang="${l}" href="${at}?lang=${l}">`, `${lang}: ${l} alternate`)
      }
      t.match(res.body, `<link rel="alternate" hreflang="x-default" href="${at}">`, `${lang}: x-default`)
    }
  })
}

t.test('the campaign page describes itself by its own summary, in the reader’s language', async (t) => {
  const en = await env.app.inject({ url: `/campaigns/${DEMO_SLUG}?lang=en` })
  const ko = await env.app.inject({ url: `/campaigns/${DEMO_SLUG}?lang=ko` })
  const description = (html: string) => /<meta name="description" content="([^"]+)">/.exec(html)?.[1]
  t.not(description(en.body), description(ko.body), 'a description per language')
  t.match(description(ko.body), /[가-힣]/, 'the Korean page is described in Korean')
})

t.test('the canonical address drops any query but the language, and token pages name none', async (t) => {
  const all = await env.app.inject({ url: `/campaigns/${DEMO_SLUG}?countries=all&lang=ko` })
  t.match(all.body, `<link rel="canonical" href="${BASE}/campaigns/${DEMO_SLUG}?lang=ko">`)
  const confirm = await env.app.inject({ url: '/confirm/not-a-real-token-at-all-but-long-enough-0000' })
  t.notMatch(confirm.body, 'rel="canonical"')
  t.notMatch(confirm.body, 'hreflang="x-default"')
  const missing = await env.app.inject({ url: '/no-such-page' })
  t.equal(missing.statusCode, 404)
  t.notMatch(missing.body, 'rel="canonical"', 'a missing page names no canonical address')
})

t.test('the demo campaign page stays under 10 KB of HTML in every language', async (t) => {
  for (const lang of ['en', 'ko', 'zh']) {
    const res = await env.app.inject({ url: `/campaigns/${DEMO_SLUG}?lang=${lang}` })
    const bytes = res.rawPayload.length
    t.equal(res.headers['content-encoding'], undefined, 'measured uncompressed')
    t.ok(bytes < 10 * 1024, `${lang}: ${bytes} bytes`)
  }
})

t.test(
  'the signing form’s privacy line says what is kept: a keyed hash of the network, for IP_HASH_DAYS',
  async (t) => {
    const local = await setup(t, { workers: false, env: { IP_HASH_DAYS: '12' } })
    await loadDemo(local.db)
    const en = await local.app.inject({ url: `/campaigns/${DEMO_SLUG}?lang=en` })
    t.match(en.body, 'only a keyed hash of your network, kept 12 days')
    t.notMatch(en.body, /Your IP address is not stored\.\s/, 'no claim that nothing is kept')
    const ko = await local.app.inject({ url: `/campaigns/${DEMO_SLUG}?lang=ko` })
    t.match(ko.body, '키 해시만 12일 동안')
    const zh = await local.app.inject({ url: `/campaigns/${DEMO_SLUG}?lang=zh` })
    t.match(zh.body, '密钥哈希值 12 天')
  },
)
