// The About and privacy pages, and the console form that sets the About, on a 390 px phone in
// each language, axe clean (issue 18 point 8).
import t from 'tap'
import { systemActor } from '../../src/modules/audit/service.ts'
import { createOrganizer } from '../../src/modules/organizers/service.ts'
import { setAbout } from '../../src/modules/site/service.ts'
import { expectAccessible, expectFitsPhone, LANGS, launch, PHONE, serve } from './browser.ts'

const browser = await launch(t)
const { env, base } = await serve(t)
const actor = systemActor('cli')
await setAbout(env.db, actor, {
  organisation: 'NK Watch',
  contactEmail: 'privacy@nkwatch.example.org',
  texts: { ko: '탈북민 인권을 위한 단체입니다. 중국에 구금된 사람들의 소식을 전합니다.' },
})
const email = 'about-a11y@example.org'
const { password } = await createOrganizer(env.db, actor, { email, name: 'A', role: 'admin' })
await env.db.updateTable('organizers').set({ password_must_change: false }).where('email', '=', email).execute()

for (const lang of LANGS) {
  await t.test(`About, privacy and the console About fit a phone and pass axe in ${lang.code}`, async (t) => {
    const context = await browser.newContext({ ...PHONE, bypassCSP: true })
    t.teardown(() => context.close())
    const page = await context.newPage()
    for (const path of ['/about', '/privacy']) {
      await page.goto(`${base}${path}?lang=${lang.code}`)
      await expectFitsPhone(t, page, path)
      await expectAccessible(t, page, path, lang.tag)
      await page.screenshot({ path: `/tmp/trust${path.replace('/', '-')}-${lang.code}.png`, fullPage: true })
    }
    // The console speaks the account's own language, whatever the login page spoke.
    await env.db.updateTable('organizers').set({ locale: lang.code }).where('email', '=', email).execute()
    await page.goto(`${base}/admin/login?lang=${lang.code}`)
    await page.fill('#f-email', email)
    await page.fill('#f-password', password)
    await Promise.all([page.waitForURL(`${base}/admin`), page.click('main form button[type=submit]')])
    await page.goto(`${base}/admin/about`)
    await expectFitsPhone(t, page, 'console about')
    await expectAccessible(t, page, 'console about', lang.tag)
  })
}
