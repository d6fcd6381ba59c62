// A report's page passed on (contract, "Reach"): Open Graph and Twitter card tags in the reader's
// language, and a 1200x630 PNG card (place, date, people, kind) drawn by the server, redrawn only
// when its text changes. A draft has neither page nor card.
import t from 'tap'
import { translator } from '../../src/i18n/index.ts'
import { reportCard } from '../../src/present/share/card.ts'
import { setup } from '../helper.ts'
import { organizer } from './helpers.ts'

const BASE = 'http://ua.test'
const LANGS = ['en', 'ko', 'zh'] as const

function meta(html: string, key: string): string | undefined {
  const attr = key.startsWith('twitter:') ? 'name' : 'property'
  const found = [...html.matchAll(new RegExp(`<meta ${attr}="${key}" content="([^"]*)">`, 'g'))]
  return found.length === 1 ? found[0]![1]!.replace(/&amp;/g, '&').replace(/&#39;/g, "'") : undefined
}

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(png: Buffer): { width: number; height: number } | undefined {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  if (!png.subarray(0, 8).equals(signature) || png.toString('ascii', 12, 16) !== 'IHDR') return undefined
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) }
}

t.test('a report’s page carries its tags and card in each language; a draft has neither', async (t) => {
  const env = await setup(t, { workers: false })
  const org = await organizer(env)
  const id = await org.publish({ place: { latitude: 43, longitude: 129.8 } })
  const titles = new Set<string>()
  const etags = new Set<string>()
  const expected = {
    en: { title: 'Detention: Tumen, Jilin', locale: 'en_US' },
    ko: { title: '지린성 투먼', locale: 'ko_KR' },
    zh: { title: '吉林省', locale: 'zh_CN' },
  }
  for (const lang of LANGS) {
    const page = await env.app.inject({ url: `/reports/${id}?lang=${lang}` })
    t.equal(page.statusCode, 200)
    const title = meta(page.body, 'og:title')
    t.match(title, expected[lang].title, `${lang}: og:title is the report's heading in the language`)
    t.ok(/<h1 id="report-title">([^<]*)<\/h1>/.exec(page.body)?.[1]?.includes(title!), `${lang}: as on the page`)
    t.match(meta(page.body, 'og:description'), /325|North Koreans/, `${lang}: its summary`)
    t.equal(meta(page.body, 'og:url'), `${BASE}/reports/${id}?lang=${lang}`)
    t.equal(meta(page.body, 'og:locale'), expected[lang].locale)
    t.equal(meta(page.body, 'og:image'), `${BASE}/reports/${id}/card.png?hl=${lang}`)
    t.equal(meta(page.body, 'twitter:card'), 'summary_large_image')
    titles.add(title!)

    const card = await env.app.inject({ url: `/reports/${id}/card.png?hl=${lang}` })
    t.equal(card.statusCode, 200)
    t.equal(card.headers['content-type'], 'image/png')
    t.same(pngSize(card.rawPayload), { width: 1200, height: 630 }, `${lang}: a 1200x630 PNG`)
    t.notOk(card.headers['set-cookie'], 'an image sets no language cookie')
    etags.add(card.headers.etag as string)
    const again = await env.app.inject({ url: `/reports/${id}/card.png?hl=${lang}` })
    t.equal(again.headers.etag, card.headers.etag, `${lang}: the same card twice`)
    t.ok(again.rawPayload.equals(card.rawPayload))
  }
  t.equal(titles.size, 3, 'a title per language')
  t.equal(etags.size, 3, 'a card per language')

  const draft = await org.draft({ place: { name: 'Draftville' } })
  t.equal((await env.app.inject({ url: `/reports/${draft}` })).statusCode, 404)
  t.equal((await env.app.inject({ url: `/reports/${draft}/card.png` })).statusCode, 404, 'a draft has no card')
  t.equal((await env.app.inject({ url: '/reports/99999999/card.png' })).statusCode, 404)
  t.equal((await env.app.inject({ url: '/reports/abc/card.png' })).statusCode, 404)

  // A retraction changes what the card says, so it is drawn anew.
  const before = (await env.app.inject({ url: `/reports/${id}/card.png?hl=en` })).headers.etag
  await org.retract(id, 'A misread source.')
  await new Promise((resolve) => setTimeout(resolve, 1100)) // the report is a second old at most
  const after = await env.app.inject({ url: `/reports/${id}/card.png?hl=en` })
  t.equal(after.statusCode, 200)
  t.not(after.headers.etag, before, 'a retracted report has a new card')
})

t.test('a report card says the kind and place, the people, the date and the country', async (t) => {
  const facts = { heading: 'Detention in Tumen, Jilin', people: '325 people', date: 'July 22, 2021', country: 'China' }
  const en = translator('en')
  const card = reportCard('en', en, { ...facts, retracted: false })
  t.equal(card.title, 'Detention in Tumen, Jilin')
  t.same(card.lines, ['325 people', 'July 22, 2021 · China'])
  t.equal(card.progress, null)
  t.equal(reportCard('en', en, { ...facts, retracted: true }).title, 'Retracted: Detention in Tumen, Jilin')
})
