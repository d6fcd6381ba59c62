import { XMLParser, XMLValidator } from 'fast-xml-parser'
import t from 'tap'
import { setup } from '../helper.ts'
import { organizer } from './helpers.ts'

type Entry = {
  id: string
  title: { '#text': string; '@_type': string }
  link: { '@_rel': string; '@_href': string }
  published: string
  updated: string
  category: { '@_term': string }
  content: { '#text': string; '@_type': string }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  isArray: (name) => name === 'entry' || name === 'link',
  // Keep text as written: no number parsing, no trimming that could hide what was escaped.
  parseTagValue: false,
  processEntities: true,
  htmlEntities: false,
})

function parse(xml: string) {
  const valid = XMLValidator.validate(xml)
  if (valid !== true) throw new Error(`not well-formed XML: ${JSON.stringify(valid.err)}`)
  return parser.parse(xml).feed as {
    '@_xmlns': string
    '@_xml:lang': string
    id: string
    title: { '#text': string }
    updated: string
    author: { name: string }
    link: { '@_rel': string; '@_href': string; '@_type': string }[]
    entry?: (Omit<Entry, 'link'> & { link: Entry['link'][] })[]
  }
}

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/

t.test('the feed is well-formed Atom with one entry per published report and absolute links', async (t) => {
  const env = await setup(t, { workers: false })
  const org = await organizer(env)
  const first = await org.publish()
  const second = await org.publish({ place: { name: 'Dandong', province: 'Liaoning' }, peopleCount: 180 })
  await org.draft({ summary: 'A draft that must stay out of the feed.' })

  const res = await env.app.inject({ url: '/reports.atom' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'application/atom+xml; charset=utf-8')
  t.ok(res.body.startsWith('<?xml version="1.0" encoding="utf-8"?>'))
  t.notMatch(res.body, /A draft that must stay out/)
  const feed = parse(res.body)
  t.equal(feed['@_xmlns'], 'http://www.w3.org/2005/Atom')
  t.equal(feed['@_xml:lang'], 'en')
  t.equal(feed.title['#text'], 'Incident reports · Urgent Action')
  t.equal(feed.author.name, 'Urgent Action', 'a feed-level author, which RFC 4287 requires')
  t.match(feed.updated, RFC3339)
  t.same(
    feed.link.map((l) => [l['@_rel'], l['@_href']]),
    [
      ['self', 'http://ua.test/reports.atom?lang=en'],
      ['alternate', 'http://ua.test/reports?lang=en'],
    ],
  )
  const entries = feed.entry ?? []
  t.equal(entries.length, 2, 'one entry per published report, none for the draft')
  t.same(
    entries.map((e) => e.id).sort(),
    [`http://ua.test/reports#report-${first}`, `http://ua.test/reports#report-${second}`].sort(),
  )
  for (const e of entries) {
    t.match(
      e.link[0]!['@_href'],
      /^http:\/\/ua\.test\/reports\/\d+\?lang=en$/,
      "an absolute link to the report's own page",
    )
    t.match(e.published, RFC3339)
    t.match(e.updated, RFC3339)
    t.equal(e.category['@_term'], 'detention')
    t.equal(e.content['@_type'], 'html')
  }
  const dandong = entries.find((e) => e.id.endsWith(`#report-${second}`))!
  t.equal(dandong.title['#text'], 'Detention: 180 people in Dandong, Liaoning')
  t.match(
    dandong.content['#text'],
    /<a href="https:\/\/www\.hrw\.org\/[^"]+" rel="nofollow noopener noreferrer">Human Rights Watch<\/a>/,
  )
  t.match(dandong.content['#text'], /How sure: Credible/)
})

t.test('a retraction comes back as the same entry, updated, with its correction note', async (t) => {
  const env = await setup(t, { workers: false })
  const org = await organizer(env)
  const kept = await org.publish()
  const wrong = await org.publish({ place: { name: 'Yanji', province: 'Jilin' } })
  await new Promise((resolve) => setTimeout(resolve, 1100)) // so <updated> moves past <published>, which has whole seconds
  await org.retract(wrong, 'Counted twice; see the Tumen report.')
  const entries = parse((await env.app.inject({ url: '/reports.atom' })).body).entry ?? []
  t.equal(entries.length, 2)
  t.equal(
    entries[0]!.id,
    `http://ua.test/reports#report-${wrong}`,
    'the retraction is the newest change, so it comes first',
  )
  t.equal(entries[1]!.id, `http://ua.test/reports#report-${kept}`)
  const retracted = entries[0]!
  t.match(retracted.title['#text'], /^Retracted: Detention: 325 people in Yanji, Jilin$/)
  t.ok(retracted.updated > retracted.published, `updated ${retracted.updated} after published ${retracted.published}`)
  t.match(retracted.content['#text'], /<strong>Retracted\.<\/strong> Correction: Counted twice; see the Tumen report\./)
})

t.test('markup and control characters in a report cannot break or inject into the feed', async (t) => {
  const env = await setup(t, { workers: false })
  const org = await organizer(env)
  await org.publish({
    place: { name: 'Tumen <script>alert(1)</script>', province: 'Jilin & "Yanbian"' },
    summary: "Held <b>here</b> & there, it's ]]> said\u0001.",
    sourceName: 'HRW </a><script>x</script>',
    sourceUrl: 'https://www.hrw.org/news?a=1&b="2"',
  })
  const body = (await env.app.inject({ url: '/reports.atom' })).body
  t.notMatch(body, /<script/i, 'no raw script tag anywhere in the XML')
  t.notMatch(body, /\u0001/, 'characters XML 1.0 forbids are dropped')
  const [entry] = parse(body).entry ?? []
  t.equal(
    entry!.title['#text'],
    'Detention: 325 people in Tumen <script>alert(1)</script>, Jilin & "Yanbian"',
    'the title is the text as typed',
  )
  // The content is HTML, escaped once more for XML: once parsed, the tags in the data are still escaped.
  const html = entry!.content['#text']
  t.match(html, /Held &lt;b&gt;here&lt;\/b&gt; &amp; there, it&apos;s \]\]&gt; said\./)
  t.match(html, /Tumen &lt;script&gt;alert\(1\)&lt;\/script&gt;/)
  t.match(
    html,
    /<a href="https:\/\/www\.hrw\.org\/news\?a=1&amp;b=&quot;2&quot;" rel="nofollow noopener noreferrer">HRW &lt;\/a&gt;&lt;script&gt;x&lt;\/script&gt;<\/a>/,
  )
  t.notMatch(html, /<script|<b>/, 'no markup from the data survives as markup')
})

t.test('the feed speaks the language asked for, and is valid with no reports at all', async (t) => {
  const env = await setup(t, { workers: false })
  const empty = parse((await env.app.inject({ url: '/reports.atom?lang=ko' })).body)
  t.equal(empty['@_xml:lang'], 'ko')
  t.equal(empty.title['#text'], '사건 보고 · 긴급 행동')
  t.equal(empty.entry, undefined, 'no entries')
  t.match(empty.updated, RFC3339)

  const org = await organizer(env)
  await org.publish()
  const zh = parse((await env.app.inject({ url: '/reports.atom?lang=zh' })).body)
  t.equal(zh.entry![0]!.title['#text'], '拘押：图们（吉林省），325 人', 'known place and province names in Chinese')
  t.match(zh.entry![0]!.link[0]!['@_href'], /\/reports\/\d+\?lang=zh$/)
})
