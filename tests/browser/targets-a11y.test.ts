// The targets screens and the campaign page's "who this campaign asks" on a 390 px phone, axe in each language.
import t from 'tap'
import { systemActor } from '../../src/modules/audit/service.ts'
import { DEMO_SLUG, loadDemo } from '../../src/modules/demo/service.ts'
import { createOrganizer } from '../../src/modules/organizers/service.ts'
import { expectAccessible, expectFitsPhone, LANGS, launch, PHONE, serve } from './browser.ts'

const browser = await launch(t)
const { env, base } = await serve(t)
await loadDemo(env.db)
const email = 'targets-a11y@example.org'
const { password } = await createOrganizer(env.db, systemActor('cli'), { email, name: 'T', role: 'organizer' })
await env.db.updateTable('organizers').set({ password_must_change: false }).where('email', '=', email).execute()
const target = await env.db.selectFrom('targets').select('id').orderBy('id').executeTakeFirstOrThrow()

for (const lang of LANGS) {
  await t.test(`targets screens and the campaign's targets fit a phone and pass axe in ${lang.code}`, async (t) => {
    const context = await browser.newContext({ ...PHONE, bypassCSP: true })
    t.teardown(() => context.close())
    const page = await context.newPage()
    await page.goto(`${base}/campaigns/${DEMO_SLUG}?lang=${lang.code}`)
    t.equal(await page.locator('section.targets li').count(), 4, 'the page lists the four targets')
    await expectFitsPhone(t, page, 'campaign page')
    await expectAccessible(t, page, 'campaign page', lang.tag)

    // The console speaks the account's own language, whatever the login page spoke.
    await env.db.updateTable('organizers').set({ locale: lang.code }).where('email', '=', email).execute()
    await page.goto(`${base}/admin/login?lang=${lang.code}`)
    await page.fill('#f-email', email)
    await page.fill('#f-password', password)
    await Promise.all([page.waitForURL(`${base}/admin`), page.click('main form button[type=submit]')])
    for (const path of ['/admin/targets', '/admin/targets/new', `/admin/targets/${target.id}/edit`]) {
      await page.goto(base + path)
      await expectFitsPhone(t, page, path)
      await expectAccessible(t, page, path, lang.tag)
    }
    await page.goto(`${base}/admin/targets/new`)
    await Promise.all([page.waitForNavigation(), page.click('main form.panel button[type=submit]')])
    t.ok((await page.locator('.field.invalid').count()) >= 2, 'the empty form comes back with its errors')
    await expectFitsPhone(t, page, 'target form with errors')
    await expectAccessible(t, page, 'target form with errors', lang.tag)
  })
}
