// The organizer console in a real Chromium, set up for its checks: a campaign with a confirmed
// signature, a published report and its alert, and an admin who logs in through the real form.
import type { Page } from 'playwright-core'
import type { Test } from 'tap'
import { systemActor } from '../../src/modules/audit/service.ts'
import { createOrganizer } from '../../src/modules/organizers/service.ts'
import { confirmPath, eventually, liveCampaign } from '../helper.ts'
import { publish } from '../alerts/helpers.ts'
import { launch, serve, translatedCampaign } from './browser.ts'

export async function consoleFixture(t: Test) {
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
  const confirmed = await env.app.inject({ method: 'POST', url: confirmPath(mail) })
  if (confirmed.statusCode !== 200) throw new Error(`confirm failed: ${confirmed.statusCode}`)
  const { reportId, alertId } = await publish(env)

  // An admin, so the organizers and audit screens are reachable too; its password from creation,
  // kept (not the subject here: the first-login screen has its own checks).
  const email = 'console-a11y@example.org'
  const { password } = await createOrganizer(env.db, systemActor('cli'), {
    email,
    name: 'Console Admin',
    role: 'admin',
  })
  await env.db.updateTable('organizers').set({ password_must_change: false }).where('email', '=', email).execute()

  /**
   * Logs in through the real form as an account whose console language is `lang` (its own setting,
   * whatever the login page spoke); the console opens on the dashboard.
   */
  async function logIn(page: Page, lang: 'en' | 'ko' | 'zh') {
    await env.db.updateTable('organizers').set({ locale: lang }).where('email', '=', email).execute()
    await page.goto(`${base}/admin/login?lang=${lang}`)
    await page.fill('#f-email', email)
    await page.fill('#f-password', password)
    await Promise.all([page.waitForURL(`${base}/admin`), page.click('main form button[type=submit]')])
  }

  /** Submits the page's main form with a click on `button` and returns the response's status. */
  async function submit(page: Page, button: string) {
    const [response] = await Promise.all([page.waitForNavigation(), page.click(button)])
    return response?.status()
  }

  return { browser, env, base, slug, reportId, alertId, logIn, submit }
}
