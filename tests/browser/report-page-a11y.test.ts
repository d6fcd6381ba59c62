// A report's own page on a 390 px phone in each language: a published demo report with its
// campaign, and a retracted one with its correction; axe clean, fits the screen, no request
// leaves this machine. Screenshots in /tmp/a/ for a person to look at.
import { mkdirSync } from 'node:fs'
import t from 'tap'
import { systemActor } from '../../src/modules/audit/service.ts'
import { DEMO_SLUG, loadDemo } from '../../src/modules/demo/service.ts'
import { retractReport } from '../../src/modules/reports/service.ts'
import { expectAccessible, expectFitsPhone, LANGS, launch, PHONE, serve } from './browser.ts'

const SHOTS = '/tmp/a'
mkdirSync(SHOTS, { recursive: true })

const browser = await launch(t)
const { env, base } = await serve(t)
await loadDemo(env.db)
const row = (place: string) =>
  env.db.selectFrom('reports').select('id').where('place_name', '=', place).executeTakeFirstOrThrow()
const border = (await row('China–North Korea border')).id
const shenyang = (await row('Shenyang')).id
await retractReport(env.db, systemActor('cli'), shenyang, 'The figure came from a misread source.')

const names = {
  en: { border: 'China–North Korea border', province: 'Liaoning' },
  ko: { border: '북중 국경', province: '랴오닝성' },
  zh: { border: '中朝边境', province: '辽宁省' },
} as const

for (const lang of LANGS) {
  await t.test(`a report's page fits a phone and passes axe in ${lang.code}`, async (t) => {
    const context = await browser.newContext({ ...PHONE, bypassCSP: true })
    t.teardown(() => context.close())
    const page = await context.newPage()
    const outside: string[] = []
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('data:')) outside.push(r.url())
    })

    const res = await page.goto(`${base}/reports/${border}?lang=${lang.code}`)
    t.equal(res?.status(), 200)
    const text = await page.locator('main').innerText()
    t.match(text, names[lang.code].border, "the place in the reader's language")
    t.match(text, names[lang.code].province, "the province in the reader's language")
    t.equal(await page.locator(`main a[href="/campaigns/${DEMO_SLUG}"]`).count(), 1, 'the related campaign')
    t.equal(
      await page.locator('main a[rel="nofollow noopener noreferrer"][href^="https://www.hrw.org/"]').count(),
      1,
      'the source',
    )
    await expectFitsPhone(t, page, 'report page')
    await expectAccessible(t, page, 'report page', lang.tag)
    await page.screenshot({ path: `${SHOTS}/report-page-${lang.code}.png`, fullPage: true })

    await page.goto(`${base}/reports/${shenyang}?lang=${lang.code}`)
    t.equal(await page.locator('main .badge-retracted').count(), 1, 'marked retracted')
    t.match(await page.locator('main .correction').innerText(), /misread source/)
    await expectFitsPhone(t, page, 'retracted report page')
    await expectAccessible(t, page, 'retracted report page', lang.tag)
    await page.screenshot({ path: `${SHOTS}/report-page-retracted-${lang.code}.png`, fullPage: true })

    // From the tracker, each report's heading opens its page.
    await page.goto(`${base}/reports?lang=${lang.code}`)
    await Promise.all([page.waitForURL(`${base}/reports/${border}`), page.click(`a[href="/reports/${border}"]`)])
    t.equal(await page.locator('h1#report-title').count(), 1, 'the tracker links to the page')

    t.same(outside, [], 'no request leaves this machine')
  })
}
