// The alert sign-up journey in a real Chromium, in each language: axe WCAG 2.1 A/AA on every page
// a subscriber sees (the form, its errors, check your email, confirm, preferences from an alert
// email, unsubscribe), and the /alerts and /reports pages on a 390 px phone without sideways scroll.
import t from 'tap'
import { eventually, liveCampaign } from '../helper.ts'
import { linkIn, mailsTo, publish } from '../alerts/helpers.ts'
import { expectAccessible, expectFitsPhone, LANGS, launch, PHONE, serve, translatedCampaign } from './browser.ts'

const SCREENSHOT = '/tmp/ua-alerts-ko-phone.png'

const browser = await launch(t)
const { env, base } = await serve(t)
// A live campaign, so the topic choices list one (its title in the reader's language).
await liveCampaign(env, translatedCampaign)

/** The path of the first `path` link in the newest email to `to`, once one has come. */
function nextLink(to: string, path: string, after: number) {
  return eventually(
    async () => {
      if (mailsTo(env, to).length <= after) return undefined
      try {
        return linkIn(env, to, path)
      } catch {
        return undefined
      }
    },
    30_000,
    `an email to ${to} with a ${path} link`,
  )
}

for (const lang of LANGS) {
  await t.test(`every page of the alert journey passes WCAG 2.1 A/AA checks in ${lang.code}`, async (t) => {
    // The page CSP forbids every script, axe included: bypass it for this audit only.
    const context = await browser.newContext({ bypassCSP: true })
    t.teardown(() => context.close())
    const page = await context.newPage()
    const email = `alerts-a11y-${lang.code}@example.org`

    await page.goto(`${base}/alerts?lang=${lang.code}`)
    t.equal(
      await page.locator('form.sign input[type=checkbox][name=campaigns]').count(),
      1,
      'the live campaign is a topic',
    )
    await expectAccessible(t, page, 'alerts form', lang.tag)

    const [rejected] = await Promise.all([
      page.waitForNavigation(),
      page.click('form.sign button[type=submit]:not([formaction])'),
    ])
    t.equal(rejected?.status(), 400, 'the form without an address comes back with 400')
    t.equal(await page.locator('.field.invalid #email[aria-invalid=true]').count(), 1, 'the address is marked invalid')
    await expectAccessible(t, page, 'alerts form with errors', lang.tag)

    await page.fill('#email', email)
    const [accepted] = await Promise.all([
      page.waitForNavigation(),
      page.click('form.sign button[type=submit]:not([formaction])'),
    ])
    t.equal(accepted?.status(), 200, 'a valid address is accepted')
    t.equal(await page.locator('main p[role=status]').count(), 1, 'the page says to check the email')
    await expectAccessible(t, page, 'check-email page', lang.tag)

    // No ?lang= from here on: the cookie set on the first page keeps the language.
    await page.goto(base + (await nextLink(email, '/alerts/confirm/', 0)))
    t.equal(await page.locator('main form button[type=submit]').count(), 1, 'the confirm page has its one button')
    await expectAccessible(t, page, 'alerts confirm page', lang.tag)

    await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')])
    t.equal(await page.locator('main p[role=status]').count(), 1, 'the confirmed page says so')
    await expectAccessible(t, page, 'alerts confirmed page', lang.tag)

    // An alert email carries the preferences and unsubscribe links.
    const before = mailsTo(env, email).length
    await publish(env)
    const preferences = await nextLink(email, '/alerts/preferences/', before)
    const unsubscribe = linkIn(env, email, '/u/')
    await page.goto(base + preferences)
    t.equal(await page.locator('#f-immediate').isChecked(), true, 'the preferences page shows the saved frequency')
    t.ok((await page.locator('form.sign input[name=provinces]').count()) >= 1, 'the reported province is a topic')
    await expectAccessible(t, page, 'preferences page', lang.tag)

    await page.check('#f-daily')
    await Promise.all([page.waitForNavigation(), page.click('form.sign button[type=submit]:not([formaction])')])
    t.equal(await page.locator('main p.notice[role=status]').count(), 1, 'the preferences are saved')
    await expectAccessible(t, page, 'preferences page, saved', lang.tag)

    await page.goto(base + unsubscribe)
    t.equal(await page.locator('main form button[type=submit]').count(), 1, 'the unsubscribe page has its one button')
    await expectAccessible(t, page, 'unsubscribe page', lang.tag)

    await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')])
    t.equal(await page.locator('main p[role=status]').count(), 1, 'the unsubscribed page says so')
    await expectAccessible(t, page, 'unsubscribed page', lang.tag)
  })
}

for (const lang of LANGS) {
  await t.test(`/alerts and /reports fit a 390 px phone without sideways scrolling in ${lang.code}`, async (t) => {
    const context = await browser.newContext(PHONE)
    t.teardown(() => context.close())
    const page = await context.newPage()

    await page.goto(`${base}/alerts?lang=${lang.code}`)
    await expectFitsPhone(t, page, '/alerts')
    if (lang.code === 'ko') await page.screenshot({ path: SCREENSHOT, fullPage: true })

    await Promise.all([page.waitForNavigation(), page.click('form.sign button[type=submit]:not([formaction])')])
    t.equal(await page.locator('.field.invalid').count(), 1, 'the form came back with its error')
    await expectFitsPhone(t, page, '/alerts with errors')

    await page.goto(`${base}/reports`)
    // The journeys above published one report each: the tracker has entries to lay out.
    t.ok((await page.locator('.report').count()) >= 1, 'the tracker lists the published reports')
    await expectFitsPhone(t, page, '/reports')
  })
}
