// The tracker's map (issue 16, point 6): drawn by the server as SVG from Natural Earth outlines,
// a circle per place of a published report (its point rounded to about 10 km unless exact, or its
// province's middle), cached per version, and the same figures in a table beside it.
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import t from 'tap'
import { loadDemo } from '../../src/modules/demo/service.ts'
import { setup, type TestEnv } from '../helper.ts'
import { organizer } from './helpers.ts'

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
})

type Node = Record<string, unknown>
interface Svg {
  viewBox: string
  paths: string[]
  circles: { at: string; people: number; kind: string; cx: number; cy: number; r: number }[]
  texts: string[]
}

/** The map's address as the tracker page links it, with the page. */
async function mapOn(env: TestEnv, lang = 'en') {
  const page = await env.app.inject({ url: `/reports?lang=${lang}` })
  const src = /<img src="(\/reports\/map\.svg\?[^"]+)"/.exec(page.body)?.[1]?.replace(/&amp;/g, '&')
  return { page: page.body, src }
}

function parseSvg(xml: string): Svg {
  const valid = XMLValidator.validate(xml)
  if (valid !== true) throw new Error(`not XML: ${JSON.stringify(valid)}`)
  const svg = (parser.parse(xml) as { svg: Node[] }).svg[0]!
  const groups = svg.g as Node[]
  const all = <T>(name: string) => groups.flatMap((g) => (g[name] as T[] | undefined) ?? [])
  const text = (n: Node | string) => (typeof n === 'string' ? n : String(n['#text']))
  return {
    viewBox: svg.viewBox as string,
    paths: all<Node>('path').map((p) => String(p.id)),
    circles: all<Node>('circle').map((c) => ({
      at: String(c['data-at']),
      people: Number(c['data-people']),
      kind: String(c.class),
      cx: Number(c.cx),
      cy: Number(c.cy),
      r: Number(c.r),
    })),
    texts: all<Node | string>('text').map(text),
  }
}

t.test('the map has a circle per place of a published report, its point rounded unless exact', async (t) => {
  const env = await setup(t, { workers: false })
  const org = await organizer(env)
  // 42.9876, 129.8123 is published as 43, 129.8: about 10 km, not the building.
  await org.publish({ place: { latitude: 42.9876, longitude: 129.8123 } })
  await org.publish({
    place: { name: 'Dandong', province: 'Liaoning', latitude: 40.1234, longitude: 124.3987, exactPoint: true },
    peopleCount: 180,
  })
  await org.publish({ place: { name: 'Changbai county' }, peopleCount: 47 })
  await org.publish({
    place: { name: 'Dandong', province: 'Liaoning', latitude: 40.1234, longitude: 124.3987, exactPoint: true },
    peopleCount: 20,
    kind: 'forced-return',
    occurredOn: '2021-07-15',
  })
  await org.draft({ place: { name: 'Draftville', latitude: 30, longitude: 100 }, peopleCount: 9999 })
  const wrong = await org.publish({ place: { name: 'Yanji', latitude: 42.9, longitude: 129.5 }, peopleCount: 7000 })
  await org.retract(wrong, 'A misread source.')

  const { page, src } = await mapOn(env)
  t.ok(src, 'the tracker links its map')
  const res = await env.app.inject({ url: src! })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^image\/svg\+xml/)
  const svg = parseSvg(res.body)

  const [x, y, width, height] = svg.viewBox.split(' ').map(Number)
  t.same([x, y, width], [0, 0, 640], 'a 640-wide drawing')
  t.ok(height! >= 360 && height! <= 760, `of a phone-friendly height (${height})`)
  for (const [id, name] of [
    ['c156', 'China'],
    ['c408', 'North Korea'],
    ['c410', 'South Korea'],
  ]) {
    t.ok(svg.paths.includes(id!), `${name}'s outline is drawn`)
  }
  t.notOk(svg.paths.includes('c716'), 'a country far outside the crop (Zimbabwe) is not')
  t.equal(new Set(svg.paths).size, svg.paths.length, 'one path per country')

  t.same(
    svg.circles.map((c) => [c.at, c.kind, c.people]).sort(),
    [
      ['40.1234,124.3987', 'held', 180],
      ['40.1234,124.3987', 'returned', 20],
      ['43,129.8', 'held', 325],
      // No point given: the middle of Jilin, where Changbai county is.
      ['43.7,126.2', 'held', 47],
    ].sort(),
    'held and returned apart; the exact point as given, the other rounded to 0.1 degree',
  )
  for (const c of svg.circles) {
    t.ok(c.cx >= 0 && c.cx <= width! && c.cy >= 0 && c.cy <= height!, `${c.at} is inside the drawing`)
  }
  const largest = svg.circles.find((c) => c.people === 325)!
  t.ok(
    svg.circles.every((c) => c.r <= largest.r),
    'the most people, the largest circle',
  )
  t.notMatch(res.body, /Draftville|9999|Yanji|7000/, 'neither a draft nor a retracted report is drawn')
  t.notMatch(page, /Draftville/, 'a draft is nowhere on the page')
  t.notMatch(res.body, /<script|https?:\/\/(?!www\.w3\.org)/, 'no script and no outside address in the image')

  // The same figures as a table beside it, which the image's text alternative names.
  const alt = /<img src="\/reports\/map\.svg[^"]*"[^>]* alt="([^"]+)"/.exec(page)?.[1]
  t.match(alt, /325 \+ 180|4 places/, 'the alternative says how many places')
  t.match(alt, /“Places on the map”/, 'and names the table with the figures')
  const table = /<table id="map-table">[\s\S]*?<\/table>/.exec(page)?.[0] ?? ''
  t.match(
    table,
    /<th scope="row">Tumen, Jilin<\/th><td>Held: detained, transferred or sentenced<\/td><td>325<\/td><td>1<\/td>/,
  )
  t.match(table, /<th scope="row">Dandong, Liaoning<\/th><td>Forcibly returned<\/td><td>20<\/td><td>1<\/td>/)
  t.match(table, /<th scope="row">Jilin \(no place given: shown at the province\)<\/th><td>[^<]+<\/td><td>47<\/td>/)
  t.notMatch(table, /Yanji/, 'the retracted report, listed as such on the page, has no row by the map')
  t.match(
    page,
    /<li><span class="map-dot map-returned" aria-hidden="true"><\/span> Forcibly returned<\/li>/,
    'the key names each kind drawn',
  )
})

t.test('the map is drawn once per version: same bytes and ETag, and a new one after a new report', async (t) => {
  const env = await setup(t, { workers: false })
  const org = await organizer(env)
  await org.publish({ place: { latitude: 43, longitude: 129.8 } })
  const first = await mapOn(env)
  const a = await env.app.inject({ url: first.src!, headers: { 'accept-encoding': 'identity' } })
  const b = await env.app.inject({ url: first.src!, headers: { 'accept-encoding': 'identity' } })
  t.equal(a.statusCode, 200)
  t.ok(a.headers.etag, 'an ETag')
  t.equal(b.headers.etag, a.headers.etag, 'the same ETag')
  t.ok(a.rawPayload.equals(b.rawPayload), 'the same bytes')
  t.match(a.headers['cache-control'], /public, max-age=86400/, 'the linked version is kept a day')
  const br = await env.app.inject({ url: first.src!, headers: { 'accept-encoding': 'br' } })
  t.equal(br.headers['content-encoding'], 'br', 'sent compressed')
  t.ok(br.rawPayload.length < a.rawPayload.length / 2, `${br.rawPayload.length} of ${a.rawPayload.length} bytes`)
  const unchanged = await env.app.inject({ url: first.src!, headers: { 'if-none-match': a.headers.etag as string } })
  t.equal(unchanged.statusCode, 304)

  // A draft changes nothing the public sees.
  await org.draft({ place: { name: 'Hyesan', province: 'Ryanggang', country: 'KP', latitude: 41.4, longitude: 128.2 } })
  await new Promise((resolve) => setTimeout(resolve, 1100)) // the tracker's data is a second old at most
  t.equal((await mapOn(env)).src, first.src, 'a draft makes no new version')

  await org.publish({ place: { name: 'Hyesan', province: 'Ryanggang', country: 'KP' }, peopleCount: 12 })
  await new Promise((resolve) => setTimeout(resolve, 1100))
  const second = await mapOn(env)
  t.not(second.src, first.src, 'a new published report makes a new address')
  const c = await env.app.inject({ url: second.src!, headers: { 'accept-encoding': 'identity' } })
  t.not(c.headers.etag, a.headers.etag, 'and a new ETag')
  t.notOk(c.rawPayload.equals(a.rawPayload))
  t.same(
    parseSvg(c.body)
      .circles.map((x) => x.at)
      .sort(),
    ['41.2,128.2', '43,129.8'],
    'the new report is drawn at its province (Ryanggang) in North Korea',
  )
  const old = await env.app.inject({ url: first.src! })
  t.equal(old.statusCode, 200, 'an old page’s address still gets a map')
  t.match(old.headers['cache-control'], /max-age=60\b/, 'today’s, kept a minute')
})

t.test('the demo data is on the map in each language, with the same figures as the totals', async (t) => {
  const env = await setup(t, { workers: false })
  await loadDemo(env.db)
  const legends = new Set<string>()
  for (const lang of ['en', 'ko', 'zh'] as const) {
    const { page, src } = await mapOn(env, lang)
    t.match(src, new RegExp(`hl=${lang}&v=`), `${lang}: the map in the page's language`)
    const svg = parseSvg((await env.app.inject({ url: src! })).body)
    const total = /<div><dt>[^<]+<\/dt><dd>([\d,]+)<\/dd><\/div>/.exec(page)![1]!.replace(/,/g, '')
    t.equal(
      svg.circles.reduce((sum, c) => sum + c.people, 0),
      Number(total),
      `${lang}: the circles add up to the people in published reports`,
    )
    t.equal(svg.circles.length, 7, `${lang}: five places with points and two at their province`)
    const rows = [
      ...(/<table id="map-table">[\s\S]*?<\/table>/.exec(page)?.[0] ?? '').matchAll(/<tr><th scope="row">/g),
    ]
    t.equal(rows.length, svg.circles.length, `${lang}: a table row per circle`)
    const legend = /<ul class="map-legend"[\s\S]*?<\/ul>/.exec(page)?.[0]
    t.ok(legend, `${lang}: a key`)
    legends.add(legend!)
    t.match(page, /aria-describedby="map-note"/)
  }
  t.equal(legends.size, 3, 'the key in each language')
  const ko = parseSvg((await env.app.inject({ url: (await mapOn(env, 'ko')).src! })).body)
  t.ok(ko.texts.includes('단둥'), 'place names on the Korean map are Korean')
  t.ok(ko.texts.includes('북한'), 'and so are the countries')
})

t.test('with no published report there is no map, and its address is not found', async (t) => {
  const env = await setup(t, { workers: false })
  const { page, src } = await mapOn(env)
  t.notOk(src)
  t.notMatch(page, /map-table/)
  t.equal((await env.app.inject({ url: '/reports/map.svg' })).statusCode, 404)
})
