// The organizer console in a real Chromium: logged in through its own login form, axe WCAG 2.1 A/AA
// on every screen (forms with their errors too) in each language. The same screens at phone width
// are checked in console-phone.test.ts (one file each, so neither nears the per-file timeout).
import t from 'tap'
import { systemActor } from '../../src/modules/audit/service.ts'
import { createOrganizer } from '../../src/modules/organizers/service.ts'
import { expectAccessible, LANGS } from './browser.ts'
import { consoleFixture } from './console-fixture.ts'

const { browser, env, base, slug, reportId, alertId, logIn, submit } = await consoleFixture(t)

for (const lang of LANGS) {
  await t.test(`every console screen passes WCAG 2.1 A/AA checks in ${lang.code}`, async (t) => {
    // The page CSP forbids every script, axe included: bypass it for this audit only.
    const context = await browser.newContext({ bypassCSP: true })
    t.teardown(() => context.close())
    const page = await context.newPage()

    await page.goto(`${base}/admin/login?lang=${lang.code}`)
    await expectAccessible(t, page, 'login page', lang.tag)

    // An account with a printed password lands on the screen to replace it, and nowhere else.
    const first = { email: `first-login-${lang.code}@example.org`, password: '' }
    first.password = (
      await createOrganizer(env.db, systemActor('cli'), { email: first.email, name: 'First Login', role: 'organizer' })
    ).password
    await page.fill('#f-email', first.email)
    await page.fill('#f-password', first.password)
    await Promise.all([page.waitForURL(`${base}/admin/account`), page.click('main form button[type=submit]')])
    t.equal(await page.locator('.admin-nav').count(), 0, 'no console navigation before the password is replaced')
    await expectAccessible(t, page, 'first-login password screen', lang.tag)
    await page.fill('#f-current', first.password)
    await page.fill('#f-password', 'password1')
    await page.fill('#f-confirmation', 'password1')
    t.equal(await submit(page, 'main form button[type=submit]'), 400, 'a common password comes back with 400')
    t.equal(await page.locator('.field.invalid').count(), 1, 'its field is marked invalid')
    await expectAccessible(t, page, 'first-login password screen with errors', lang.tag)
    await submit(page, 'form[action="/admin/logout"] button')

    await logIn(page, lang.code)

    t.equal(page.url(), `${base}/admin`, 'the console home is the dashboard')
    t.equal(await page.locator(`main a[href="/admin/campaigns/${slug}"]`).count(), 1, 'the live campaign is on it')
    await page.goto(`${base}/admin/campaigns`)
    t.equal(await page.locator(`main a[href="/admin/campaigns/${slug}"]`).count(), 1, 'the campaign is listed')
    await expectAccessible(t, page, 'campaigns list', lang.tag)

    await page.goto(`${base}/admin/campaigns/new`)
    await expectAccessible(t, page, 'new campaign form', lang.tag)
    await page.fill('#f-goal', '')
    t.equal(await submit(page, 'main form button[value=save]'), 400, 'the empty campaign form comes back with 400')
    t.ok((await page.locator('.field.invalid').count()) >= 3, 'its fields are marked invalid')
    await expectAccessible(t, page, 'new campaign form with errors', lang.tag)

    await page.goto(`${base}/admin/campaigns/${slug}`)
    t.equal(await page.locator('dl.counts dd').first().innerText(), '1', 'one confirmed signature')
    await expectAccessible(t, page, 'campaign page', lang.tag)

    await page.goto(`${base}/admin/campaigns/${slug}/signatures`)
    t.equal(await page.locator('main tbody tr').count(), 1, 'the signature is in the table')
    await expectAccessible(t, page, 'signatures page', lang.tag)

    await page.goto(`${base}/admin/reports`)
    t.equal(await page.locator(`main a[href="/admin/reports/${reportId}"]`).count(), 1, 'the report is listed')
    await expectAccessible(t, page, 'reports list', lang.tag)

    await page.goto(`${base}/admin/reports/new`)
    await expectAccessible(t, page, 'new report form', lang.tag)
    t.equal(await submit(page, 'main form.panel button[type=submit]'), 400, 'the empty report form comes back with 400')
    t.ok((await page.locator('.field.invalid').count()) >= 3, 'its fields are marked invalid')
    await expectAccessible(t, page, 'new report form with errors', lang.tag)

    await page.goto(`${base}/admin/reports/${reportId}`)
    t.equal(await page.locator('#f-note').count(), 1, 'the published report offers its retraction form')
    await expectAccessible(t, page, 'report page', lang.tag)

    await page.goto(`${base}/admin/reports/${reportId}/translations/ko`)
    t.equal(await page.locator('#f-summary[lang=ko]').count(), 1, 'the translation form is open')
    await expectAccessible(t, page, 'report translation form', lang.tag)
    await page.fill('#f-summary', 'x'.repeat(5001))
    t.equal(
      await submit(page, 'main form.panel button[type=submit]'),
      400,
      'a translation too long comes back with 400',
    )
    t.equal(await page.locator('.field.invalid').count(), 1, 'its field is marked invalid')
    await expectAccessible(t, page, 'report translation form with errors', lang.tag)

    await page.goto(`${base}/admin/alerts/${alertId}`)
    t.equal(await page.locator('dl.counts').count(), 1, 'the alert shows its counts')
    await expectAccessible(t, page, 'alert page', lang.tag)

    await page.goto(`${base}/admin/organizers`)
    t.ok((await page.locator('main tbody tr').count()) >= 2, 'the organizers are listed')
    await expectAccessible(t, page, 'organizers page', lang.tag)

    await page.goto(`${base}/admin/audit`)
    t.ok((await page.locator('main tbody tr').count()) >= 1, 'the audit log has entries')
    await expectAccessible(t, page, 'audit log', lang.tag)

    await page.goto(`${base}/admin/account`)
    await expectAccessible(t, page, 'account page', lang.tag)

    await page.goto(`${base}/admin/tokens`)
    await expectAccessible(t, page, 'tokens page', lang.tag)
    t.equal(await submit(page, 'main form[action="/admin/tokens"] button[type=submit]'), 200, 'a new token is made')
    t.equal(await page.locator('#new-token').count(), 1, 'the new token is shown once')
    t.ok((await page.locator('main tbody tr').count()) >= 1, 'and listed')
    await expectAccessible(t, page, 'tokens page with a new token', lang.tag)

    await page.goto(`${base}/admin/webhooks`)
    await expectAccessible(t, page, 'webhooks page', lang.tag)
    const register = 'main form[action="/admin/webhooks"] button[type=submit]'
    t.equal(await submit(page, register), 400, 'an empty webhook form comes back with 400')
    await expectAccessible(t, page, 'webhooks page with errors', lang.tag)
    await page.fill('#f-url', `https://93.184.216.34/hook-${lang.code}`)
    await page.check('input[value="report.published"]')
    t.equal(await submit(page, register), 200, 'a webhook is registered')
    t.equal(await page.locator('#new-secret').count(), 1, 'its secret is shown once')
    await expectAccessible(t, page, 'webhooks page with a new secret', lang.tag)
    await Promise.all([
      page.waitForURL(/\/admin\/webhooks\/\d+$/),
      page.getByRole('link', { name: `https://93.184.216.34/hook-${lang.code}` }).click(),
    ])
    await expectAccessible(t, page, 'webhook delivery log', lang.tag)
  })
}
