// A refused signature (issue 18, point 7) in Chromium, without JavaScript: the error summary names
// each field ("Email: This field is required.") in the reader's language, takes the focus when the
// page loads, links to the fields, and passes axe.
import t from 'tap'
import { loadDemo, DEMO_SLUG } from '../../src/modules/demo/service.ts'
import { translator } from '../../src/i18n/index.ts'
import { expectAccessible, LANGS, launch, PHONE, serve } from './browser.ts'

const browser = await launch(t)
const { env, base } = await serve(t)
await loadDemo(env.db)

for (const lang of LANGS) {
  await t.test(`in ${lang.code}: the summary names the fields and has the focus`, async (t) => {
    const tr = translator(lang.code)
    const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false })
    t.teardown(() => context.close())
    const page = await context.newPage()
    await page.goto(`${base}/campaigns/${DEMO_SLUG}?lang=${lang.code}`)
    await page.fill('#name', 'Kim')
    await page.click('form.sign button[type=submit]:not([formaction]):not(.visually-hidden)')
    await page.waitForSelector('.error-summary')
    const items = await page.locator('.error-summary li a').allInnerTexts()
    t.ok(
      items.includes(`${tr('form.email')}: ${tr('error.required')}`),
      `email named, and required: ${items.join(' | ')}`,
    )
    t.ok(
      items.some((i) => i.startsWith(`${tr('form.country')}: `)),
      'the country named too',
    )
    t.equal(await page.locator('.error-summary li a').first().getAttribute('href'), '#email')
    const focused = await page.evaluate(() => document.activeElement?.className ?? '')
    t.match(focused, 'error-summary', 'the focus is on the summary')
    if (lang.code === 'ko') await page.screenshot({ path: '/tmp/error-summary-ko.png' })
    await context.close()
    // axe runs with scripts on, on the same refused page.
    const axeContext = await browser.newContext({ ...PHONE, bypassCSP: true })
    t.teardown(() => axeContext.close())
    const axePage = await axeContext.newPage()
    await axePage.goto(`${base}/campaigns/${DEMO_SLUG}?lang=${lang.code}`)
    await axePage.click('form.sign button[type=submit]:not([formaction]):not(.visually-hidden)')
    await axePage.waitForSelector('.error-summary')
    await expectAccessible(t, axePage, 'refused signature', lang.tag)
  })
}
