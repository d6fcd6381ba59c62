// The console's subscriber import in a real Chromium, without JavaScript of ours: the upload form,
// its refusal, and the import's page, which refreshes itself until the summary shows. axe WCAG
// 2.1 A/AA on each, in each language.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { systemActor } from '../../src/modules/audit/service.ts'
import { createOrganizer } from '../../src/modules/organizers/service.ts'
import { expectAccessible, launch, LANGS, serve } from './browser.ts'

const browser = await launch(t)
const { env, base } = await serve(t)
const email = 'imports-a11y@example.org'
const { password } = await createOrganizer(env.db, systemActor('cli'), { email, name: 'Import Admin', role: 'admin' })
await env.db.updateTable('organizers').set({ password_must_change: false }).where('email', '=', email).execute()
const dir = await mkdtemp(join(tmpdir(), 'ua-import-a11y-'))
t.teardown(() => rm(dir, { recursive: true, force: true }))

for (const lang of LANGS) {
  await t.test(`the import screens pass WCAG 2.1 A/AA checks in ${lang.code}`, async (t) => {
    const context = await browser.newContext({ bypassCSP: true })
    t.teardown(() => context.close())
    const page = await context.newPage()
    // The console speaks the account's own language, whatever the login page spoke.
    await env.db.updateTable('organizers').set({ locale: lang.code }).where('email', '=', email).execute()
    await page.goto(`${base}/admin/login?lang=${lang.code}`)
    await page.fill('#f-email', email)
    await page.fill('#f-password', password)
    await Promise.all([page.waitForURL(`${base}/admin`), page.click('main form button[type=submit]')])

    await page.click(`.admin-nav a[href="/admin/subscribers/import"]`)
    await expectAccessible(t, page, 'import form', lang.tag)
    const [refused] = await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')])
    t.equal(refused?.status(), 400, 'no file: the form again')
    t.equal(await page.locator('.field.invalid #f-file').count(), 1, 'the file field is marked invalid')
    await expectAccessible(t, page, 'import form with its error', lang.tag)

    const file = join(dir, `list-${lang.code}.csv`)
    await writeFile(file, `email,locale\nreader-${lang.code}@example.org,${lang.code}\nnot-an-address,en\n`)
    await page.setInputFiles('#f-file', file)
    await Promise.all([
      page.waitForURL(/\/admin\/subscribers\/imports\/\d+$/),
      page.click('main form button[type=submit]'),
    ])
    if (
      await page
        .locator('#import-status')
        .getAttribute('data-status')
        .then((s) => s === 'running')
    ) {
      await expectAccessible(t, page, 'import in progress', lang.tag)
      // Asked to, the page refreshes itself (a meta refresh) until the import is done.
      await page.click(`main a[href$="?auto"]`)
    }
    await page.waitForSelector('#import-status[data-status="done"]', { timeout: 30_000 })
    t.equal(await page.locator('meta[http-equiv="refresh"]').count(), 0, 'done: no more refreshing')
    t.equal(await page.locator('#invalid-lines li').count(), 1, 'the invalid line listed')
    await expectAccessible(t, page, 'import summary', lang.tag)
  })
}
