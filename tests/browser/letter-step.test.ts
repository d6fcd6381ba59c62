// The whole "write to them" step on a 390 px phone, plain links and forms, in each language (issue 15):
// the campaign page's step, the letter page with its mailto links, the form to have the platform
// send it (signing too), the thanks page, and the one confirm page that sends both; axe on each,
// no request leaving 127.0.0.1, and the letter reaching the targets once the button is pressed.
import t from 'tap'
import { DEMO_SLUG, loadDemo } from '../../src/modules/demo/service.ts'
import { eventually } from '../helper.ts'
import { expectAccessible, expectFitsPhone, LANGS, launch, PHONE, serve } from './browser.ts'

const browser = await launch(t)
// No pacing: three writers' letters reach the same targets within the test.
const { env, base } = await serve(t, { LETTER_RATE_PER_HOUR: '0' })
await loadDemo(env.db)
const targets = await env.db
  .selectFrom('campaign_targets')
  .innerJoin('targets', 'targets.id', 'campaign_targets.target_id')
  .innerJoin('campaigns', 'campaigns.id', 'campaign_targets.campaign_id')
  .select(['targets.email', 'targets.platform_only'])
  .where('campaigns.slug', '=', DEMO_SLUG)
  .execute()
const platformTargets = targets.filter((x) => x.email).map((x) => x.email!.toLowerCase())
const letters = await env.db
  .selectFrom('campaign_letters')
  .innerJoin('campaigns', 'campaigns.id', 'campaign_letters.campaign_id')
  .select(['campaign_letters.locale', 'campaign_letters.subject'])
  .where('campaigns.slug', '=', DEMO_SLUG)
  .execute()
const subjects = new Set(letters.map((l) => l.subject))

for (const lang of LANGS) {
  await t.test(`write to them on a phone, signing too, in ${lang.code}`, async (t) => {
    const context = await browser.newContext({ ...PHONE, bypassCSP: true })
    t.teardown(() => context.close())
    const page = await context.newPage()
    const elsewhere: string[] = []
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('data:')) elsewhere.push(r.url())
    })

    await page.goto(`${base}/campaigns/${DEMO_SLUG}?lang=${lang.code}`)
    t.equal(await page.locator('#write').count(), 1, 'the step beside the petition')
    await Promise.all([page.waitForURL(/\/letter$/), page.click(`#write a[href$="/letter"]`)])
    await expectFitsPhone(t, page, 'letter page')
    await expectAccessible(t, page, 'letter page', lang.tag)
    const mailtos = await page.locator('a[href^="mailto:"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!))
    t.ok(mailtos.length > 0, 'a mailto link per target that may be published')
    for (const href of mailtos) {
      const url = new URL(href)
      const subject = url.searchParams.get('subject')!
      t.ok(subjects.has(subject), `the subject decodes to one of the campaign's letters: ${subject}`)
      t.ok((url.searchParams.get('body') ?? '').length > 20, 'with the body')
    }
    await page.screenshot({ path: `/tmp/letter-page-${lang.code}.png`, fullPage: false })

    await page.goto(`${base}/campaigns/${DEMO_SLUG}?lang=${lang.code}`)
    await Promise.all([page.waitForURL(/\/letter\/send$/), page.click(`#write a[href$="/letter/send"]`)])
    await expectFitsPhone(t, page, 'send form')
    await expectAccessible(t, page, 'send form', lang.tag)
    const address = `writer-${lang.code}@example.org`
    await page.fill('#name', `Writer ${lang.code}`)
    await page.fill('#email', address)
    await page.fill('#city', 'Seoul')
    await page.selectOption('#country', 'KR')
    await page.check('#sign')
    await page.screenshot({ path: `/tmp/letter-send-${lang.code}.png`, fullPage: true })
    await Promise.all([page.waitForURL(/\/letter\/send\/thanks$/), page.click('form.sign button[type=submit]')])
    await expectFitsPhone(t, page, 'thanks')
    await expectAccessible(t, page, 'thanks', lang.tag)

    await eventually(async () => env.smtp.messages.some((m) => m.envelopeTo.includes(address)), 10_000, 'the email')
    const mail = env.smtp.messages.filter((m) => m.envelopeTo.includes(address))
    t.equal(mail.length, 1, 'one email for the signature and the letter')
    const link = /https?:\/\/[^\s]+\/confirm\/[A-Za-z0-9_.-]+(\?lang=\w+)?/.exec(mail[0]!.parsed.text ?? '')![0]
    await page.goto(link)
    await expectFitsPhone(t, page, 'confirm page')
    await expectAccessible(t, page, 'confirm page', lang.tag)
    t.equal(await page.locator('html').getAttribute('lang'), lang.tag, 'in the writer language')
    t.match(await page.locator('.choices').innerText(), /Seoul|서울|首尔|KR|Korea|한국|韩国/)
    await page.screenshot({ path: `/tmp/letter-confirm-${lang.code}.png`, fullPage: true })
    await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')])
    await expectAccessible(t, page, 'confirmed', lang.tag)

    await eventually(
      async () =>
        platformTargets.every((to) =>
          env.smtp.messages.some(
            (m) =>
              m.envelopeTo.map((a) => a.toLowerCase()).includes(to) &&
              (m.parsed.text ?? '').includes(`Writer ${lang.code}`),
          ),
        ),
      15_000,
      'the letter at every target with an email',
    )
    t.same(elsewhere, [], 'no request left 127.0.0.1')
  })
}
