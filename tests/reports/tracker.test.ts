import t from 'tap'
import { setup } from '../helper.ts'
import { organizer } from './helpers.ts'

/** The number in the totals box labelled `label`. */
function totalFor(html: string, label: string): string | undefined {
  return new RegExp(`<dt>${label}</dt><dd>([^<]*)</dd>`).exec(html)?.[1]
}

t.test('totals count published reports only: drafts and retracted reports are left out', async (t) => {
  const env = await setup(t, { workers: false })
  const org = await organizer(env)
  await org.publish()
  await org.publish({ place: { name: 'Dandong', province: 'Liaoning' }, peopleCount: 180 })
  await org.publish({
    place: { name: 'Dandong', province: 'Liaoning' },
    peopleCount: 20,
    kind: 'forced-return',
    occurredOn: '2021-07-15',
  })
  await org.draft({
    place: { name: 'Draftville', province: 'Nowhere' },
    peopleCount: 9999,
    summary: 'A draft nobody may see.',
  })
  const wrong = await org.publish({
    place: { name: 'Yanji', province: 'Jilin' },
    peopleCount: 7000,
    summary: 'A mistaken report.',
  })
  await org.retract(wrong, 'The figure came from a misread source; there is no such detention.')

  const res = await env.app.inject({ url: '/reports' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/html/)
  const html = res.body
  t.equal(totalFor(html, 'People in published reports'), '525', '325 + 180 + 20')
  t.equal(totalFor(html, 'Published reports'), '3')
  t.equal(totalFor(html, 'Retracted reports'), '1')

  // The screen-reader tables carry the exact totals per place, province and kind.
  t.match(html, /<th scope="row">Dandong, Liaoning<\/th><td>200<\/td><td>2<\/td>/, 'per place: people and reports')
  t.match(html, /<th scope="row">Tumen, Jilin<\/th><td>325<\/td><td>1<\/td>/)
  t.match(html, /<th scope="row">Liaoning \(China\)<\/th><td>200<\/td><td>2<\/td>/, 'per province')
  t.match(html, /<th scope="row">Jilin \(China\)<\/th><td>325<\/td><td>1<\/td>/, 'Jilin without the retracted 7000')
  t.match(html, /<th scope="row">Detention<\/th><td>505<\/td><td>2<\/td>/, 'per kind')
  t.match(html, /<th scope="row">Forced return<\/th><td>20<\/td><td>1<\/td>/)
  t.notMatch(html, /Yanji, Jilin<\/th>/, 'a retracted report has no row in the totals')
  t.notMatch(html, /7,000<\/td>|7000<\/td>/, 'nor its people')

  t.notMatch(html, /Draftville|A draft nobody may see/, 'a draft is nowhere on the page')
  t.match(html, /id="report-\d+"/, 'reports have anchors for the alert emails')
  const retracted = new RegExp(`<article class="report retracted" id="report-${wrong}"[\\s\\S]*?</article>`).exec(
    html,
  )?.[0]
  t.ok(retracted, 'the retracted report stays listed, marked retracted')
  t.match(retracted, /Retracted<\/span>/)
  t.match(
    retracted,
    /The figure came from a misread source; there is no such detention\./,
    'with its public correction note',
  )
  t.match(retracted, /Not counted in the totals\./)
  t.equal((html.match(/<article class="report/g) ?? []).length, 4, 'three published and one retracted report listed')
  t.match(html, /<time datetime="2021-07-22">July 22, 2021<\/time>/)
  t.match(html, /Credible/)
})

t.test('the page shows no one who logged a report, nor anything personal', async (t) => {
  const env = await setup(t, { workers: false })
  const org = await organizer(env, 'kim.organizer@example.org')
  await org.publish()
  const html = (await env.app.inject({ url: '/reports' })).body
  t.notMatch(html, /kim\.organizer|example\.org|Test Organizer/, 'no organizer name or address')
})

t.test('a script in a place, province, summary, source or note is shown as text, never run', async (t) => {
  const env = await setup(t, { workers: false })
  const org = await organizer(env)
  const xss = '<script>alert(1)</script>'
  const id = await org.publish({
    place: { name: `Tumen ${xss}`, province: `Jilin"><img src=x onerror=alert(2)>` },
    summary: `Held ${xss} & more`,
    sourceName: `HRW ${xss}`,
  })
  await org.publish({ summary: 'A second one, so the retraction below is not the only report.' })
  await org.retract(id, `Wrong ${xss}`)
  const html = (await env.app.inject({ url: '/reports' })).body
  t.notMatch(html, /<script/i, 'no script element anywhere')
  t.notMatch(html, /<img(?! src="\/reports\/map\.svg\?)/i, 'no injected element: the only image is the map')
  t.match(html, /Tumen &lt;script&gt;alert\(1\)&lt;\/script&gt;/)
  t.match(html, /Held &lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; more/)
  t.match(html, /Wrong &lt;script&gt;/)
  t.match(html, /HRW &lt;script&gt;/)
})

t.test('charts are inline SVG with text alternatives, and the page obeys the CSP', async (t) => {
  const env = await setup(t, { workers: false })
  const org = await organizer(env)
  await org.publish()
  await org.publish({ place: { name: 'Dandong', province: 'Liaoning' }, peopleCount: 180, occurredOn: '2021-08-03' })
  const res = await env.app.inject({ url: '/reports' })
  const html = res.body
  const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? []
  t.equal(svgs.length, 4, 'by place, by province, by kind, and the timeline')
  for (const svg of svgs) {
    const labelledby = /^<svg[^>]* role="img" aria-labelledby="([^"]+)"/.exec(svg)?.[1]
    t.ok(labelledby, 'role="img" and aria-labelledby')
    t.match(
      svg,
      new RegExp(`<title id="${labelledby}">[^<]+: a chart\\. The same numbers follow in a table\\.</title>`),
      'a <title> names it',
    )
    t.match(svg, /<rect class="bar"/)
  }
  t.equal(
    (html.match(/<div class="visually-hidden"><table>/g) ?? []).length,
    4,
    'each chart has its numbers as a table',
  )
  t.match(
    html,
    /<caption>People per day of the event<\/caption>[\s\S]*?<th scope="row">Jul 22, 2021<\/th><td>325<\/td><td>1<\/td>/,
  )
  t.match(html, /<th scope="row">Aug 3, 2021<\/th><td>180<\/td><td>1<\/td>/)

  t.match(res.headers['content-security-policy'], /default-src 'none'/)
  t.notMatch(html, /\sstyle=/i, 'no inline style attribute')
  t.notMatch(html, /<style/i, 'no <style> element')
  t.notMatch(html, /<script/i, 'no script at all')
})

t.test('the only references to other sites are the source links, with rel=nofollow noopener noreferrer', async (t) => {
  const env = await setup(t, { workers: false })
  const org = await organizer(env)
  await org.publish()
  await org.publish({ sourceName: 'Radio report', sourceUrl: 'http://radio.example.com/story?a=1&b=2' })
  await org.publish({ sourceName: 'A source without a link', sourceUrl: undefined })
  const html = (await env.app.inject({ url: '/reports' })).body
  const refs = [...html.matchAll(/\s(?:href|src|action|xlink:href)="([^"]*)"/g)].map((m) => m[1]!)
  const outside = refs.filter((u) => /^(?:[a-z][a-z0-9+.-]*:)?\/\//i.test(u) && !u.startsWith('http://ua.test/'))
  t.same(outside.sort(), [
    'http://radio.example.com/story?a=1&amp;b=2',
    'https://www.hrw.org/news/2021/07/22/china-forcibly-return-refugees-north-korea',
  ])
  const anchors = [...html.matchAll(/<a [^>]*href="(?:https?:)?\/\/[^"]*"[^>]*>/g)].map((m) => m[0])
  t.equal(anchors.length, 2, 'one link per report with a source URL')
  for (const a of anchors) t.match(a, /rel="nofollow noopener noreferrer"/)
  t.match(html, /A source without a link/)
  t.match(
    html,
    /<link rel="alternate" type="application\/atom\+xml" href="\/reports\.atom\?lang=en" title="[^"]+">/,
    'the feed is announced in the head',
  )
  t.match(html, /<a href="\/reports" aria-current="page">Incident tracker<\/a>/, 'the main menu marks where we are')
  t.match(html, /<a href="\/alerts">Get alerts<\/a>/)
})

t.test('?lang=ko and ?lang=zh show the tracker in Korean and Chinese', async (t) => {
  const env = await setup(t, { workers: false })
  const org = await organizer(env)
  await org.publish()
  const en = await env.app.inject({ url: '/reports?lang=en' })
  t.match(en.body, /<h1>Incident tracker<\/h1>/)
  const ko = await env.app.inject({ url: '/reports?lang=ko' })
  t.equal(ko.headers['content-language'], 'ko')
  t.match(ko.body, /<html lang="ko">/)
  t.match(ko.body, /<h1>사건 기록<\/h1>/)
  t.match(ko.body, /구금: 지린성 투먼/, 'kind and place in Korean order, with their Korean names')
  t.match(ko.body, /325명/)
  t.match(ko.body, /신빙성 있음/)
  t.match(ko.body, /<dt>출처<\/dt>/)
  t.match(ko.body, /2021년 7월 22일/)
  t.match(ko.body, /href="\/reports\.atom\?lang=ko"/)
  t.notMatch(ko.body, /Incident tracker|People by place/, 'no English left in the interface')

  const cookie = `lang=${ko.cookies.find((c) => c.name === 'lang')?.value}`
  const again = await env.app.inject({ url: '/reports', headers: { cookie } })
  t.match(again.body, /<h1>사건 기록<\/h1>/, 'the choice is remembered')

  const zh = await env.app.inject({ url: '/reports?lang=zh' })
  t.match(zh.body, /<h1>事件追踪<\/h1>/)
  t.match(zh.body, /拘押：图们（吉林省）/)
  t.match(zh.body, /可信/)
  const enAgain = await env.app.inject({ url: '/reports?lang=en' })
  t.equal(enAgain.body, en.body, 'each language keeps its own page')
})

t.test('with nothing published the tracker says so', async (t) => {
  const env = await setup(t, { workers: false })
  const res = await env.app.inject({ url: '/reports' })
  t.equal(res.statusCode, 200)
  t.match(res.body, /No reports have been published yet\./)
  t.notMatch(res.body, /<svg/)
})
