// The campaign page with its updates, the updates page and the console's updates screen (the form,
// the preview with its confirm step, the refused form) on a 390 px phone, axe in each language.
import t from 'tap'
import { systemActor } from '../../src/modules/audit/service.ts'
import { DEMO_SLUG, loadDemo } from '../../src/modules/demo/service.ts'
import { createOrganizer } from '../../src/modules/organizers/service.ts'
import { postUpdate } from '../../src/modules/updates/service.ts'
import { expectAccessible, expectFitsPhone, LANGS, launch, PHONE, serve } from './browser.ts'

const browser = await launch(t)
const { env, base } = await serve(t)
await loadDemo(env.db)
const actor = systemActor('cli')
await postUpdate(env.db, actor, DEMO_SLUG, { kind: 'update', title: 'Letters delivered', body: 'We handed them over.' })
await postUpdate(env.db, actor, DEMO_SLUG, {
  kind: 'good-news',
  lang: 'ko',
  title: '두 명 석방',
  body: '두 명이 석방되었습니다.',
})
const email = 'updates-a11y@example.org'
const { password } = await createOrganizer(env.db, actor, { email, name: 'U', role: 'organizer' })
await env.db.updateTable('organizers').set({ password_must_change: false }).where('email', '=', email).execute()

for (const lang of LANGS) {
  await t.test(`updates on the page and in the console fit a phone and pass axe in ${lang.code}`, async (t) => {
    const context = await browser.newContext({ ...PHONE, bypassCSP: true })
    t.teardown(() => context.close())
    const page = await context.newPage()
    for (const path of [`/campaigns/${DEMO_SLUG}`, `/campaigns/${DEMO_SLUG}/updates`]) {
      await page.goto(`${base}${path}?lang=${lang.code}`)
      t.equal(await page.locator('ol.timeline li').count(), 2, `${path}: the timeline`)
      await expectFitsPhone(t, page, path)
      await expectAccessible(t, page, path, lang.tag)
    }

    // The console speaks the account's own language, whatever the login page spoke.
    await env.db.updateTable('organizers').set({ locale: lang.code }).where('email', '=', email).execute()
    await page.goto(`${base}/admin/login?lang=${lang.code}`)
    await page.fill('#f-email', email)
    await page.fill('#f-password', password)
    await Promise.all([page.waitForURL(`${base}/admin`), page.click('main form button[type=submit]')])
    const screen = `/admin/campaigns/${DEMO_SLUG}/updates`
    await page.goto(base + screen)
    await expectFitsPhone(t, page, screen)
    await expectAccessible(t, page, screen, lang.tag)

    await page.fill('#f-title', 'A title')
    await page.fill('#f-body', 'A text.')
    await page.check('#f-notify')
    await Promise.all([page.waitForNavigation(), page.click('button[value=preview]')])
    t.equal(await page.locator('button[value=confirm]').count(), 1, 'notify asks to confirm')
    await expectFitsPhone(t, page, 'update preview')
    await expectAccessible(t, page, 'update preview', lang.tag)

    await page.goto(base + screen)
    await Promise.all([page.waitForNavigation(), page.click('button[value=post]')])
    t.ok((await page.locator('.field.invalid').count()) >= 2, 'the empty form comes back with its errors')
    await expectFitsPhone(t, page, 'update form with errors')
    await expectAccessible(t, page, 'update form with errors', lang.tag)
  })
}
