// The campaign page on a 390 px phone: nothing wider than the screen, in every language.
import type { Page } from 'playwright-core'
import t from 'tap'
import { confirmPath, eventually, liveCampaign } from '../helper.ts'
import { LANGS, launch, PHONE, serve, translatedCampaign } from './browser.ts'

const SCREENSHOT = '/tmp/ua-ko-phone.png'

const browser = await launch(t)
const { env, base } = await serve(t)
const slug = await liveCampaign(env, translatedCampaign)

// One confirmed public signature with a comment, so the signers list is on the page too.
const signed = await env.app.inject({
  method: 'POST',
  url: `/api/v1/campaigns/${slug}/signatures`,
  payload: {
    name: '박서연',
    email: 'seoyeon@example.org',
    country: 'KR',
    publicName: true,
    comment: '지금 당장 강제 송환을 멈춰야 합니다. https://example.org/a-very-long-link-without-any-break-in-it-at-all',
  },
})
if (signed.statusCode !== 202) throw new Error(`sign failed: ${signed.body}`)
const mail = await eventually(async () => env.smtp.messages[0], 30_000, 'the confirmation email')
const confirmed = await env.app.inject({ method: 'POST', url: confirmPath(mail) })
if (confirmed.statusCode !== 200) throw new Error(`confirm failed: ${confirmed.statusCode}`)
// The page's data is cached for half a second (signing read it): wait until the signer is on it.
await eventually(
  async () => (await env.app.inject({ url: `/campaigns/${slug}` })).body.includes('박서연'),
  10_000,
  'the signer on the page',
)

/** The page's width against the screen's, and the elements that stick out past its right edge. */
function measure(page: Page) {
  return page.evaluate(() => {
    const root = document.documentElement
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 0.5)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${el.className}` : ''}`)
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide }
  })
}

for (const lang of LANGS) {
  await t.test(`the campaign page fits a 390 px phone without sideways scrolling in ${lang.code}`, async (t) => {
    const context = await browser.newContext(PHONE)
    t.teardown(() => context.close())
    const page = await context.newPage()

    await page.goto(`${base}/campaigns/${slug}?lang=${lang.code}`)
    t.equal(await page.locator('html').getAttribute('lang'), lang.tag, `the page is in ${lang.code}`)
    t.equal(await page.locator('.signers li').count(), 1, 'the signers list is shown')
    const plain = await measure(page)
    t.equal(plain.clientWidth, 390, 'the layout viewport is the phone width')
    t.ok(plain.scrollWidth <= plain.clientWidth, `no horizontal scroll (${plain.scrollWidth} <= ${plain.clientWidth})`)
    t.same(plain.wide, [], 'no element reaches past the right edge')
    if (lang.code === 'ko') await page.screenshot({ path: SCREENSHOT, fullPage: true })

    // Error messages add text to every field; the form must still fit.
    await Promise.all([page.waitForNavigation(), page.click('form.sign button[type=submit]:not([formaction])')])
    t.equal(await page.locator('.field.invalid').count(), 3, 'the form came back with errors')
    const withErrors = await measure(page)
    t.ok(
      withErrors.scrollWidth <= withErrors.clientWidth,
      `no horizontal scroll with errors shown (${withErrors.scrollWidth} <= ${withErrors.clientWidth})`,
    )
    t.same(withErrors.wide, [], 'with errors, no element reaches past the right edge')
  })
}
