// The tracker with its map on a 390 px phone in each language: the image loads from this site, its
// text alternative names the table with the same figures, axe finds nothing, the page fits the
// screen, and no request leaves this machine. Screenshots in /tmp/a/ for a person to look at.
import { mkdirSync } from 'node:fs'
import t from 'tap'
import { loadDemo } from '../../src/modules/demo/service.ts'
import { expectAccessible, expectFitsPhone, LANGS, launch, PHONE, serve } from './browser.ts'

const SHOTS = '/tmp/a'
mkdirSync(SHOTS, { recursive: true })

const browser = await launch(t)
const { env, base } = await serve(t)
await loadDemo(env.db)

const tableName = { en: 'Places on the map', ko: '지도의 장소', zh: '地图上的地点' } as const

for (const lang of LANGS) {
  await t.test(`the tracker's map loads, reads and passes axe on a phone in ${lang.code}`, async (t) => {
    const context = await browser.newContext({ ...PHONE, bypassCSP: true })
    t.teardown(() => context.close())
    const page = await context.newPage()
    const requests: string[] = []
    page.on('request', (r) => requests.push(r.url()))

    const res = await page.goto(`${base}/reports?lang=${lang.code}`)
    t.equal(res?.status(), 200)
    const map = page.locator('figure.map img')
    t.equal(await map.count(), 1, 'one map')
    await map.scrollIntoViewIfNeeded()
    const loaded = await map.evaluate((img: HTMLImageElement) =>
      img.decode().then(
        () => ({ width: img.naturalWidth, shown: img.getBoundingClientRect().width }),
        () => ({ width: 0, shown: 0 }),
      ),
    )
    t.equal(loaded.width, 640, 'the image is a drawing the browser could read')
    t.ok(loaded.shown > 300 && loaded.shown <= PHONE.viewport.width, `it fills the column (${loaded.shown} px)`)
    t.match(await map.getAttribute('alt'), tableName[lang.code], 'its alternative names the table of figures')
    t.equal(await page.locator('#map-table caption').innerText(), tableName[lang.code], 'and the table is there')
    t.equal(await page.locator('#map-table tbody tr').count(), 7, 'a row per mark')
    t.equal(await page.locator('.map-legend li').count(), 2, 'a key: held and returned')

    await expectFitsPhone(t, page, 'tracker with map')
    await expectAccessible(t, page, 'tracker with map', lang.tag)
    await page.locator('section[aria-labelledby="map"]').screenshot({ path: `${SHOTS}/tracker-map-${lang.code}.png` })

    const outside = requests.filter((url) => !url.startsWith(`${base}/`))
    t.same(outside, [], 'no request leaves 127.0.0.1')
    t.ok(
      requests.some((url) => url.startsWith(`${base}/reports/map.svg?hl=${lang.code}&v=`)),
      'the map came from this site',
    )
  })
}
