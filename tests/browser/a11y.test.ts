// axe-core over every page of the signing journey, in each language, in a real Chromium.
import { createRequire } from 'node:module'
import type { AxeResults } from 'axe-core'
import type { Page } from 'playwright-core'
import t from 'tap'
import { confirmPath, eventually, liveCampaign } from '../helper.ts'
import { htmlLang, LANGS, launch, serve, translatedCampaign } from './browser.ts'

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js')
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

const browser = await launch(t)
const { env, base } = await serve(t)
const slug = await liveCampaign(env, translatedCampaign)

/** A subtest's t (the last overload of t.test takes only the callback). */
type Tap = Parameters<Parameters<typeof t.test>[0]>[0]

/** Runs axe on the page as it is and asserts no WCAG 2.x A/AA violation, naming each one that is found. */
async function expectAccessible(t: Tap, page: Page, name: string, lang: string) {
  t.equal(await htmlLang(page), lang, `${name}: <html lang="${lang}">`)
  await page.addScriptTag({ path: axePath })
  const result = await page.evaluate(
    (tags) =>
      (window as unknown as { axe: { run(ctx: Document, o: object): Promise<AxeResults> } }).axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      }),
    WCAG_TAGS,
  )
  const violations = result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')),
  }))
  t.ok(result.passes.length > 10, `${name}: axe ran (${result.passes.length} rules passed)`)
  for (const v of violations) t.comment(`${name}: ${v.id} (${v.impact}) ${v.help} at ${v.targets.join(', ')}`)
  t.same(violations, [], `${name}: no WCAG 2.1 A/AA violations`)
}

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

    const [rejected] = await Promise.all([page.waitForNavigation(), page.click('form.sign button[type=submit]')])
    t.equal(rejected?.status(), 400, 'the empty form comes back with 400')
    t.equal(await page.locator('.field.invalid').count(), 3, 'name, email and country are marked invalid')
    await expectAccessible(t, page, 'campaign page with form errors', lang.tag)

    await page.fill('#name', 'Kim Min-ji')
    await page.fill('#email', email)
    await page.selectOption('#country', 'KR')
    const thanks = `${base}/campaigns/${slug}/thanks`
    await Promise.all([page.waitForURL(thanks), page.click('form.sign button[type=submit]')])
    await expectAccessible(t, page, 'thank-you page', lang.tag)

    const mail = await eventually(
      async () => env.smtp.messages.find((m) => m.envelopeTo.includes(email)),
      30_000,
      `the confirmation email to ${email}`,
    )
    // No ?lang= here: the cookie set on the first page keeps the language.
    await page.goto(base + confirmPath(mail!))
    await expectAccessible(t, page, 'confirm page', lang.tag)

    await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')])
    t.equal(await page.locator('main p[role=status]').count(), 1, 'the confirmed page says so')
    await expectAccessible(t, page, 'confirmed page', lang.tag)
  })
}
