// A draft report's page with its reach before the publish button, and the email preview, on a
// 390 px phone in each language, axe clean (issue 18 point 12).
import t from 'tap'
import { systemActor } from '../../src/modules/audit/service.ts'
import { createOrganizer } from '../../src/modules/organizers/service.ts'
import { createReport } from '../../src/modules/reports/service.ts'
import { expectAccessible, expectFitsPhone, LANGS, launch, PHONE, serve } from './browser.ts'

const browser = await launch(t)
const { env, base } = await serve(t)
const actor = systemActor('cli')
const draft = await createReport(env.db, actor, {
  occurredOn: '2021-07-15',
  place: { name: 'Tumen crossing', province: 'Jilin', country: 'CN' },
  peopleCount: 12,
  kind: 'detention',
  summary: 'Twelve held at the Tumen crossing.',
  confidence: 'credible',
})
const email = 'preview-a11y@example.org'
const { password } = await createOrganizer(env.db, actor, { email, name: 'P', role: 'organizer' })
await env.db.updateTable('organizers').set({ password_must_change: false }).where('email', '=', email).execute()

for (const lang of LANGS) {
  await t.test(`the reach and the email preview fit a phone and pass axe in ${lang.code}`, async (t) => {
    const context = await browser.newContext({ ...PHONE, bypassCSP: true })
    t.teardown(() => context.close())
    const page = await context.newPage()
    // The console speaks the account's own language, whatever the login page spoke.
    await env.db.updateTable('organizers').set({ locale: lang.code }).where('email', '=', email).execute()
    await page.goto(`${base}/admin/login?lang=${lang.code}`)
    await page.fill('#f-email', email)
    await page.fill('#f-password', password)
    await Promise.all([page.waitForURL(`${base}/admin`), page.click('main form button[type=submit]')])
    await page.goto(`${base}/admin/reports/${draft.id}`)
    t.equal(await page.locator('#reach-heading').count(), 1, 'the reach before the button')
    await expectFitsPhone(t, page, 'draft with reach')
    await expectAccessible(t, page, 'draft with reach', lang.tag)
    await Promise.all([page.waitForURL(/\/preview\/zh$/), page.click(`a[href$="/preview/zh"]`)])
    await expectFitsPhone(t, page, 'email preview')
    await expectAccessible(t, page, 'email preview', lang.tag)
    await page.screenshot({ path: `/tmp/publish-preview-${lang.code}.png`, fullPage: true })
  })
}
