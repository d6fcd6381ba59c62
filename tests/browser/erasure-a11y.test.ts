// The erasure journey in a real Chromium, in each language: axe WCAG 2.1 A/AA on every page a
// signer sees (the form from the footer link, its error, the answer, the link's page, the result).
import t from 'tap'
import { liveCampaign } from '../helper.ts'
import { erasePath, nthMailTo, sign } from '../erasure/helpers.ts'
import { expectAccessible, LANGS, launch, serve, translatedCampaign } from './browser.ts'

const browser = await launch(t)
const { env, base } = await serve(t)
const slug = await liveCampaign(env, translatedCampaign)

for (const lang of LANGS) {
  await t.test(`every page of the erasure journey passes WCAG 2.1 A/AA checks in ${lang.code}`, async (t) => {
    // The page CSP forbids every script, axe included: bypass it for this audit only.
    const context = await browser.newContext({ bypassCSP: true })
    t.teardown(() => context.close())
    const page = await context.newPage()
    const email = `erase-a11y-${lang.code}@example.org`
    await sign(env, slug, { name: 'Kim', email, country: 'KR' }, { headers: { 'accept-language': lang.code } })

    await page.goto(`${base}/?lang=${lang.code}`)
    await Promise.all([page.waitForURL(`${base}/privacy/erase`), page.click('footer a[href="/privacy/erase"]')])
    await expectAccessible(t, page, 'erasure form', lang.tag)

    const [rejected] = await Promise.all([
      page.waitForNavigation(),
      page.click('form.sign button[type=submit]:not([formaction])'),
    ])
    t.equal(rejected?.status(), 400, 'the form without an address comes back with 400')
    t.equal(await page.locator('.field.invalid #email[aria-invalid=true]').count(), 1, 'the address is marked invalid')
    await expectAccessible(t, page, 'erasure form with errors', lang.tag)

    await page.fill('#email', email)
    const [accepted] = await Promise.all([
      page.waitForNavigation(),
      page.click('form.sign button[type=submit]:not([formaction])'),
    ])
    t.equal(accepted?.status(), 200)
    t.equal(await page.locator('main p[role=status]').count(), 1, 'the page gives the one answer')
    await expectAccessible(t, page, 'erasure requested page', lang.tag)

    const link = base + erasePath(await nthMailTo(env, email, 2, 30_000))
    await page.goto(link)
    t.equal(await page.locator('main form button[type=submit]').count(), 1, "the link's page has its one button")
    await expectAccessible(t, page, 'erasure confirm page', lang.tag)

    await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')])
    t.equal(await page.locator('main p[role=status]').count(), 1, 'the erased page says so')
    await expectAccessible(t, page, 'erased page', lang.tag)

    await page.goto(link)
    t.equal(await page.locator('main form').count(), 0, 'a used link has no button')
    await expectAccessible(t, page, 'used link page', lang.tag)
  })
}
