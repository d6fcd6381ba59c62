// The tracker in a real Chromium on a 390 px phone: it fits, the CSP blocks nothing, it asks no
// other site for anything, and axe finds no WCAG 2.1 A/AA violation, in each language.
import { createRequire } from 'node:module'
import type { AxeResults } from 'axe-core'
import t from 'tap'
import { loadDemo } from '../../src/modules/demo/service.ts'
import { LANGS, launch, PHONE, serve } from '../browser/browser.ts'
import { organizer } from './helpers.ts'

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js')
const browser = await launch(t)
const { env, base } = await serve(t)
await loadDemo(env.db)
const org = await organizer(env)
const wrong = await org.publish({
  place: {
    name: 'Hunchun border detention centre near the Tumen River crossing',
    province: 'Yanbian Korean Autonomous Prefecture, Jilin',
  },
  summary: 'https://example.org/a-very-long-link-without-any-break-in-it-at-all-that-must-wrap-on-a-phone',
})
await org.retract(wrong, 'This was a duplicate of an earlier report.')

for (const lang of LANGS) {
  await t.test(`the tracker fits a 390 px phone and passes axe in ${lang.code}`, async (t) => {
    const context = await browser.newContext(PHONE)
    t.teardown(() => context.close())
    const page = await context.newPage()
    const blocked: string[] = []
    const elsewhere: string[] = []
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) blocked.push(m.text())
    })
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('data:')) elsewhere.push(r.url())
    })

    await page.goto(`${base}/reports?lang=${lang.code}`)
    t.equal(await page.locator('html').getAttribute('lang'), lang.tag)
    t.equal(await page.locator('svg.chart').count(), 4, 'four charts drawn')
    const size = await page.evaluate(() => {
      const root = document.documentElement
      const wide = [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 0.5 && !el.closest('.visually-hidden'))
        .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}`)
      const header = document.querySelector('header.site')!.getBoundingClientRect()
      return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide, headerHeight: header.height }
    })
    t.ok(size.scrollWidth <= size.clientWidth, `no horizontal scroll (${size.scrollWidth} <= ${size.clientWidth})`)
    t.same(size.wide, [], 'no element reaches past the right edge')
    t.ok(size.headerHeight < 140, `the header stays compact (${size.headerHeight}px)`)
    t.ok(await page.locator('header nav.primary a[href="/reports"]').isVisible(), 'the tracker link is in the header')
    t.ok(await page.locator('header nav.primary a[href="/alerts"]').isVisible(), 'the alerts link is in the header')
    t.same(blocked, [], 'the CSP blocked nothing')
    t.same(elsewhere, [], 'no request to another site')
    if (lang.code === 'ko') await page.screenshot({ path: '/tmp/ua-reports-ko-phone.png', fullPage: true })

    // The CSP forbids every script, axe included: a second context bypasses it for the audit only.
    const audit = await browser.newContext({ bypassCSP: true })
    t.teardown(() => audit.close())
    const auditPage = await audit.newPage()
    await auditPage.goto(`${base}/reports?lang=${lang.code}`)
    await auditPage.addScriptTag({ path: axePath })
    const result = await auditPage.evaluate(() =>
      (window as unknown as { axe: { run(ctx: Document, o: object): Promise<AxeResults> } }).axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        resultTypes: ['violations'],
      }),
    )
    const violations = result.violations.map(
      (v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    )
    t.same(violations, [], 'no WCAG 2.1 A/AA violations')
  })
}
