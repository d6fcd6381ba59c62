// The organizer console in a real Chromium: logged in through its own login form, axe WCAG 2.1 A/AA
// on every screen (forms with their errors too) in each language, and the wide screens on a
// 390 px phone without sideways scrolling.
import type { Page } from 'playwright-core'
import t from 'tap'
import { createOrganizer } from '../../src/modules/organizers/service.ts'
import { confirmPath, eventually, liveCampaign } from '../helper.ts'
import { publish } from '../alerts/helpers.ts'
import { expectAccessible, expectFitsPhone, LANGS, launch, PHONE, serve, translatedCampaign } from './browser.ts'

const browser = await launch(t)
const { env, base } = await serve(t)

// Something on every screen: a campaign with a confirmed signature, a published report and its alert.
const slug = await liveCampaign(env, translatedCampaign)
const signed = await env.app.inject({
  method: 'POST',
  url: `/api/v1/campaigns/${slug}/signatures`,
  payload: { name: '박서연', email: 'seoyeon@example.org', country: 'KR', publicName: true },
})
if (signed.statusCode !== 202) throw new Error(`sign failed: ${signed.body}`)
const mail = await eventually(async () => env.smtp.messages[0], 30_000, 'the confirmation email')
const confirmed = await env.app.inject({ method: 'POST', url: confirmPath(mail!) })
if (confirmed.statusCode !== 200) throw new Error(`confirm failed: ${confirmed.statusCode}`)
const { reportId, alertId } = await publish(env)

// An admin, so the organizers and audit screens are reachable too; its password from creation,
// kept (not the subject here: the first-login screen has its own checks below).
const email = 'console-a11y@example.org'
const { password } = await createOrganizer(env.db, { email, name: 'Console Admin', role: 'admin' })
await env.db.updateTable('organizers').set({ password_must_change: false }).where('email', '=', email).execute()

/** Logs in through the real form, in the given UI language; the console opens on the campaigns list. */
async function logIn(page: Page, lang: string) {
  await page.goto(`${base}/admin/login?lang=${lang}`)
  await page.fill('#f-email', email)
  await page.fill('#f-password', password)
  await Promise.all([page.waitForURL(`${base}/admin/campaigns`), page.click('main form button[type=submit]')])
}

/** Submits the page's main form with a click on `button` and returns the response's status. */
async function submit(page: Page, button: string) {
  const [response] = await Promise.all([page.waitForNavigation(), page.click(button)])
  return response?.status()
}

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
    first.password = (await createOrganizer(env.db, { email: first.email, name: 'First Login', role: 'organizer' })).password
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

    await page.goto(`${base}/admin`)
    t.equal(page.url(), `${base}/admin/campaigns`, 'the console home is the campaigns list')
    t.equal(await page.locator(`main a[href="/admin/campaigns/${slug}"]`).count(), 1, 'the campaign is listed')
    await expectAccessible(t, page, 'console home (campaigns list)', lang.tag)

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
    t.equal(await submit(page, 'main form.panel button[type=submit]'), 400, 'a translation too long comes back with 400')
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
    t.equal(await submit(page, 'main form.inline-form button[type=submit]'), 200, 'a new token is made')
    t.equal(await page.locator('#new-token').count(), 1, 'the new token is shown once')
    t.ok((await page.locator('main tbody tr').count()) >= 1, 'and listed')
    await expectAccessible(t, page, 'tokens page with a new token', lang.tag)
  })
}

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
  { name: 'signatures page', path: `/admin/campaigns/${slug}/signatures` },
  { name: 'reports list', path: '/admin/reports' },
  { name: 'report page', path: `/admin/reports/${reportId}` },
  { name: 'report form', path: '/admin/reports/new', shot: 'report-form' },
  { name: 'report translation form', path: `/admin/reports/${reportId}/translations/zh` },
  { name: 'organizers page', path: '/admin/organizers' },
  { name: 'audit log', path: '/admin/audit' },
  { name: 'tokens page', path: '/admin/tokens' },
]

for (const lang of LANGS) {
  await t.test(`the console's wide screens fit a 390 px phone without sideways scrolling in ${lang.code}`, async (t) => {
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
      if (screen.shot && lang.code === 'ko') await page.screenshot({ path: `/tmp/ua-console-${screen.shot}-ko-phone.png`, fullPage: true })
      await expectAccessible(t, page, `${screen.name} on a phone`, lang.tag)
    }

    await page.goto(`${base}/admin/reports/new`)
    t.equal(await submit(page, 'main form.panel button[type=submit]'), 400, 'the report form came back with errors')
    await expectFitsPhone(t, page, 'report form with errors')
  })
}
