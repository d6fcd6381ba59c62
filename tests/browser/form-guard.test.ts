// The honeypot on a 390 px phone in Chromium, in each language: out of sight and out of the tab
// order; a person who takes a moment signs through it. axe runs over both forms in a11y.test.ts
// and alerts-a11y.test.ts.
import type { Page } from 'playwright-core'
import t from 'tap'
import { eventually, liveCampaign } from '../helper.ts'
import { expectFitsPhone, LANGS, launch, PHONE, serve, translatedCampaign } from './browser.ts'

const browser = await launch(t)
// One second is enough to tell a person from a script here, and short for the test.
const { env, base } = await serve(t, { FORM_MIN_SECONDS: '1' })
const slug = await liveCampaign(env, translatedCampaign)

/** The honeypot's box on screen, and whether a Tab from `before` lands on it. */
async function honeypot(page: Page, before: string) {
  const box = await page.locator('.hp').boundingBox()
  await page.focus(before)
  await page.keyboard.press('Tab')
  const next = await page.evaluate(() => document.activeElement?.id ?? '')
  return { box, next }
}

for (const lang of LANGS) {
  await t.test(`the honeypot is out of sight and reach on a phone in ${lang.code}`, async (t) => {
    const context = await browser.newContext(PHONE)
    t.teardown(() => context.close())
    const page = await context.newPage()

    await page.goto(`${base}/campaigns/${slug}?lang=${lang.code}`)
    const sign = await honeypot(page, '#alerts')
    t.ok(
      sign.box && sign.box.width <= 1 && sign.box.height <= 1,
      `signing form: a 1 px box (${JSON.stringify(sign.box)})`,
    )
    t.not(sign.next, 'website', 'signing form: Tab skips it')
    t.equal(await page.locator('#website').getAttribute('tabindex'), '-1')
    t.equal(await page.locator('.hp').getAttribute('aria-hidden'), 'true')
    await page.locator('form.sign').screenshot({ path: `/tmp/ua-honeypot-sign-${lang.code}.png` })
    await expectFitsPhone(t, page, 'campaign page')

    await page.goto(`${base}/alerts?lang=${lang.code}`)
    const alerts = await honeypot(page, '#email')
    t.ok(alerts.box && alerts.box.width <= 1 && alerts.box.height <= 1, 'alerts form: a 1 px box')
    await page.locator('form.sign').screenshot({ path: `/tmp/ua-honeypot-alerts-${lang.code}.png` })
    await expectFitsPhone(t, page, 'alerts page')
  })
}

t.test('a person who takes a moment signs through it, and nothing is dropped as automated', async (t) => {
  const context = await browser.newContext(PHONE)
  t.teardown(() => context.close())
  const page = await context.newPage()
  await page.goto(`${base}/campaigns/${slug}?lang=ko`)
  const email = 'guard@example.org'
  await page.fill('#name', 'Kim Min-ji')
  await page.fill('#email', email)
  await page.selectOption('#country', 'KR')
  await page.waitForTimeout(1100) // a person takes longer than FORM_MIN_SECONDS
  await Promise.all([
    page.waitForURL(`${base}/campaigns/${slug}/thanks`),
    page.click('form.sign button[type=submit]:not([formaction])'),
  ])
  await eventually(
    () => env.db.selectFrom('signatures').select('id').where('email', '=', email).executeTakeFirst(),
    10_000,
    'the signature',
  )

  t.same(await env.db.selectFrom('form_refusals').select(['reason', 'count']).execute(), [])
})
