// The signing form's proof of work in a real Chromium, under the page's CSP: the script solves the
// challenge and sends the form; without JavaScript the same page keeps the signature for review.
import t from 'tap'
import type { Page } from 'playwright-core'
import { liveCampaign } from '../helper.ts'
import { expectAccessible, expectFitsPhone, LANGS, launch, PHONE, serve, translatedCampaign } from './browser.ts'

const browser = await launch(t)
// Every signature through the form is past the budget: the first one already gets the challenge.
const { env, base } = await serve(t, { SIGN_CHALLENGE_AFTER: '0' })
const slug = await liveCampaign(env, translatedCampaign)

const held = (email: string) =>
  env.db.selectFrom('signatures').select(['status', 'held']).where('email', '=', email).executeTakeFirst()

async function fillAndSign(page: Page, lang: string, email: string) {
  await page.goto(`${base}/campaigns/${slug}?lang=${lang}`)
  await page.fill('#name', 'Kim Min-ji')
  await page.fill('#email', email)
  await page.selectOption('#country', 'KR')
  await page.fill('#comment', 'Let them go')
  await Promise.all([page.waitForNavigation(), page.click('form.sign button[type=submit]:not([formaction])')])
}

t.test('the script solves the challenge and signs, under the CSP, with no console error', async (t) => {
  const context = await browser.newContext(PHONE)
  t.teardown(() => context.close())
  const page = await context.newPage()
  const problems: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  const email = 'solved@example.org'
  const thanks = `${base}/campaigns/${slug}/thanks`
  await page.goto(`${base}/campaigns/${slug}?lang=en`)
  await page.fill('#name', 'Kim Min-ji')
  await page.fill('#email', email)
  await page.selectOption('#country', 'KR')
  // The first press gets the challenge page; its script solves and sends the form by itself.
  await Promise.all([
    page.waitForURL(thanks, { timeout: 120_000 }),
    page.click('form.sign button[type=submit]:not([formaction])'),
  ])
  t.match(await held(email), { status: 'pending', held: false }, 'signed as usual, not held')
  t.same(problems, [], 'no console error or CSP violation')
})

t.test('without JavaScript the challenge page keeps the signature for review', async (t) => {
  const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false })
  t.teardown(() => context.close())
  const page = await context.newPage()
  const email = 'nojs@example.org'
  await fillAndSign(page, 'en', email)
  t.equal(await page.locator('input[name=challenge]').count(), 1, 'the challenge page')
  t.equal(await page.inputValue('#comment'), 'Let them go', 'what was typed is kept')
  await Promise.all([
    page.waitForURL(`${base}/campaigns/${slug}/thanks`),
    page.click('form.sign button[type=submit]:not([formaction])'),
  ])
  t.match(await held(email), { status: 'pending', held: true })
})

for (const lang of LANGS) {
  t.test(`the challenge page passes WCAG 2.1 A/AA checks and fits a phone in ${lang.code}`, async (t) => {
    // axe needs the CSP bypassed; the challenge script is held back so the page stays to be read.
    const context = await browser.newContext({ ...PHONE, bypassCSP: true })
    t.teardown(() => context.close())
    await context.route('**/static/sign-challenge.js*', (route) => route.abort())
    const page = await context.newPage()
    await fillAndSign(page, lang.code, `a11y-${lang.code}@example.org`)
    t.equal(await page.locator('input[name=challenge]').count(), 1, 'the challenge page')
    await page.locator('#challenge').screenshot({ path: `/tmp/pow-challenge-${lang.code}.png` })
    await expectFitsPhone(t, page, `challenge page (${lang.code})`)
    await expectAccessible(t, page, `challenge page (${lang.code})`, lang.tag)
  })
}
