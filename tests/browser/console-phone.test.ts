// The organizer console's wide screens on a 390 px phone in a real Chromium: no sideways scrolling,
// no label cut inside a word, tables that scroll in a named region, and axe WCAG 2.1 A/AA again.
import type { Page } from 'playwright-core'
import t from 'tap'
import { expectAccessible, expectFitsPhone, LANGS, PHONE } from './browser.ts'
import { consoleFixture } from './console-fixture.ts'

const { browser, base, slug, reportId, logIn, submit } = await consoleFixture(t)

/**
 * Table headers and status badges cut inside a word: a column squeezed to a character or two a line
 * ("확/인/됨", "省/份"). A header may wrap between its words, never inside one.
 */
function splitLabels(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('main th, main .badge')].flatMap((el) => {
      // A label may break at a space or before a bracket: "지역 / (성)", "发布时间 / （UTC）".
      const words = (el.textContent ?? '').split(/\s+|(?=[(（])/).filter(Boolean)
      // Out of the flow, so measuring a word does not widen the column it measures.
      const probe = document.createElement('span')
      probe.style.cssText = 'position: absolute; visibility: hidden; white-space: nowrap'
      el.append(probe)
      const style = getComputedStyle(el)
      const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) + 0.5
      const cut = words.filter((word) => {
        probe.textContent = word
        return probe.getBoundingClientRect().width > room
      })
      probe.remove()
      return cut
    }),
  )
}

// The screens with tables or long forms, at phone width: axe again, because a table that only
// scrolls on a phone must then be reachable and named (scrollable-region-focusable and friends).
const phoneScreens = [
  { name: 'campaigns list', path: '/admin/campaigns', shot: 'campaigns' },
  { name: 'campaign page', path: `/admin/campaigns/${slug}` },
  { name: 'signatures page', path: `/admin/campaigns/${slug}/signatures`, shot: 'signatures' },
  { name: 'reports list', path: '/admin/reports', shot: 'reports' },
  { name: 'report page', path: `/admin/reports/${reportId}` },
  { name: 'report form', path: '/admin/reports/new', shot: 'report-form' },
  { name: 'report translation form', path: `/admin/reports/${reportId}/translations/zh` },
  { name: 'organizers page', path: '/admin/organizers' },
  { name: 'audit log', path: '/admin/audit' },
  { name: 'tokens page', path: '/admin/tokens' },
  { name: 'queues page', path: '/admin/queues', shot: 'queues' },
]

for (const lang of LANGS) {
  await t.test(
    `the console's wide screens fit a 390 px phone without sideways scrolling in ${lang.code}`,
    async (t) => {
      const context = await browser.newContext({ ...PHONE, bypassCSP: true })
      t.teardown(() => context.close())
      const page = await context.newPage()
      await logIn(page, lang.code)

      for (const screen of phoneScreens) {
        await page.goto(base + screen.path)
        await expectFitsPhone(t, page, screen.name)
        t.same(await splitLabels(page), [], `${screen.name}: no table header or badge is cut inside a word`)
        const unnamed = page.locator('.table-wrap:not([role=region][aria-label][tabindex="0"])')
        t.equal(await unnamed.count(), 0, `${screen.name}: each table scrolls in a named, focusable region`)
        if (screen.shot && lang.code !== 'en')
          await page.screenshot({ path: `/tmp/ua-console-${screen.shot}-${lang.code}-phone.png`, fullPage: true })
        await expectAccessible(t, page, `${screen.name} on a phone`, lang.tag)
      }

      await page.goto(`${base}/admin/reports/new`)
      t.equal(await submit(page, 'main form.panel button[type=submit]'), 400, 'the report form came back with errors')
      await expectFitsPhone(t, page, 'report form with errors')
    },
  )
}
