// axe-core over every page of the signing journey, in each language, in a real Chromium.
import t from 'tap'
import { confirmPath, eventually, liveCampaign } from '../helper.ts'
import { expectAccessible, LANGS, launch, serve, translatedCampaign } from './browser.ts'

const browser = await launch(t)
const { env, base } = await serve(t)
const slug = await liveCampaign(env, translatedCampaign)

for (const lang of LANGS) {
  await t.test(`every page of the signing journey passes WCAG 2.1 A/AA checks in ${lang.code}`, async (t) => {
    // The page CSP forbids every script, axe included: bypass it for this audit only.
    const context = await browser.newContext({ bypassCSP: true })
    t.teardown(() => context.close())
    const page = await context.newPage()
    const email = `a11y-${lang.code}@example.org`

    await page.goto(`${base}/?lang=${lang.code}`)
    await expectAccessible(t, page, 'home page', lang.tag)

    await page.click(`a[href="/campaigns/${slug}"]`)
    await page.waitForURL(`${base}/campaigns/${slug}`)
    await expectAccessible(t, page, 'campaign page', lang.tag)

    const [rejected] = await Promise.all([
      page.waitForNavigation(),
      page.click('form.sign button[type=submit]:not([formaction])'),
    ])
    t.equal(rejected?.status(), 400, 'the empty form comes back with 400')
    t.equal(await page.locator('.field.invalid').count(), 3, 'name, email and country are marked invalid')
    await expectAccessible(t, page, 'campaign page with form errors', lang.tag)

    await page.fill('#name', 'Kim Min-ji')
    await page.fill('#email', email)
    await page.selectOption('#country', 'KR')
    const thanks = `${base}/campaigns/${slug}/thanks`
    await Promise.all([page.waitForURL(thanks), page.click('form.sign button[type=submit]:not([formaction])')])
    await expectAccessible(t, page, 'thank-you page', lang.tag)

    const mail = await eventually(
      async () => env.smtp.messages.find((m) => m.envelopeTo.includes(email)),
      30_000,
      `the confirmation email to ${email}`,
    )
    // No ?lang= here: the cookie set on the first page keeps the language.
    await page.goto(base + confirmPath(mail))
    await expectAccessible(t, page, 'confirm page', lang.tag)

    await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')])
    // The page's own status line (the share step below has a live region of its own, empty).
    t.equal(await page.locator('main > p[role=status]').count(), 1, 'the confirmed page says so')
    t.match(await page.locator('main > p[role=status]').innerText(), /\S/, 'and it is not empty')
    await expectAccessible(t, page, 'confirmed page', lang.tag)
  })
}
