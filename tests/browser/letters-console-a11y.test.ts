// Delivering the petition in the console (the list of targets and deliveries, the confirm page)
// and the delivery on the campaign's public timeline, the queued letters screen (with a refused
// hold) and a target's daily-bundle switch, on a 390 px phone, axe in each language.
import t from 'tap'
import { systemActor } from '../../src/modules/audit/service.ts'
import { DEMO_SLUG, loadDemo } from '../../src/modules/demo/service.ts'
import { createOrganizer } from '../../src/modules/organizers/service.ts'
import { eventually } from '../helper.ts'
import { expectAccessible, expectFitsPhone, LANGS, launch, PHONE, serve } from './browser.ts'

const browser = await launch(t)
const { env, base } = await serve(t)
await loadDemo(env.db)
const email = 'petition-a11y@example.org'
const { password } = await createOrganizer(env.db, systemActor('cli'), { email, name: 'P', role: 'organizer' })
await env.db.updateTable('organizers').set({ password_must_change: false }).where('email', '=', email).execute()

for (const [i, lang] of LANGS.entries()) {
  await t.test(
    `delivering the petition, the letter queue and the bundle switch fit a phone and passes axe in ${lang.code}`,
    async (t) => {
      const context = await browser.newContext({ ...PHONE, bypassCSP: true })
      t.teardown(() => context.close())
      const page = await context.newPage()
      // The console speaks the account's own language, whatever the login page spoke.
      await env.db.updateTable('organizers').set({ locale: lang.code }).where('email', '=', email).execute()
      await page.goto(`${base}/admin/login?lang=${lang.code}`)
      await page.fill('#f-email', email)
      await page.fill('#f-password', password)
      await Promise.all([page.waitForURL(`${base}/admin`), page.click('main form button[type=submit]')])

      const screen = `/admin/campaigns/${DEMO_SLUG}/petition`
      await page.goto(base + screen)
      await expectFitsPhone(t, page, screen)
      await expectAccessible(t, page, screen, lang.tag)
      await page.screenshot({ path: `/tmp/petition-list-${lang.code}.png`, fullPage: true })

      await Promise.all([page.waitForNavigation(), page.click('main ul a.button')])
      await expectFitsPhone(t, page, 'confirm page')
      await expectAccessible(t, page, 'confirm page', lang.tag)
      await page.screenshot({ path: `/tmp/petition-confirm-${lang.code}.png`, fullPage: true })
      await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')])
      t.equal(await page.locator('p.notice[role=status]').count(), 1, 'on its way')
      await eventually(
        async () =>
          (await env.db.selectFrom('petition_deliveries').select('id').where('status', '=', 'sent').execute()).length >
          i,
        20_000,
        'the delivery sent',
      )

      const queue = `/admin/campaigns/${DEMO_SLUG}/letter-queue`
      await page.goto(base + queue)
      await expectFitsPhone(t, page, queue)
      await expectAccessible(t, page, queue, lang.tag)
      await page.fill('#f-emailDomain', 'nomatch.example')
      await Promise.all([page.waitForNavigation(), page.click('button[value=hold]')])
      t.equal(await page.locator('.field.invalid').count(), 1, 'refused, the field named')
      await expectFitsPhone(t, page, 'refused hold')
      await expectAccessible(t, page, 'refused hold', lang.tag)
      await page.screenshot({ path: `/tmp/letter-queue-${lang.code}.png`, fullPage: true })

      const target = await env.db.selectFrom('targets').select('id').orderBy('id').executeTakeFirstOrThrow()
      const edit = `/admin/targets/${target.id}/edit`
      await page.goto(base + edit)
      await page.check('#f-bundle')
      await Promise.all([page.waitForNavigation(), page.click('form[action$="/letters"] button')])
      t.ok(await page.isChecked('#f-bundle'), 'switched to the daily bundle')
      await expectFitsPhone(t, page, edit)
      await expectAccessible(t, page, edit, lang.tag)
      await page.uncheck('#f-bundle')
      await Promise.all([page.waitForNavigation(), page.click('form[action$="/letters"] button')])

      const pub = `/campaigns/${DEMO_SLUG}`
      await page.goto(`${base}${pub}?lang=${lang.code}`)
      t.ok((await page.locator('ol.timeline .badge-delivery').count()) >= 1, 'the delivery on the timeline')
      await expectFitsPhone(t, page, pub)
      await expectAccessible(t, page, pub, lang.tag)
      await page.locator('section.updates').screenshot({ path: `/tmp/petition-timeline-${lang.code}.png` })
    },
  )
}
