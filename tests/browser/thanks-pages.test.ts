// After the form, in Chromium on a phone and at a desk, in en, ko and zh: the thanks page shows
// the address typed with a suggestion for a mistyped domain, and both it and the confirmed page
// say what happens next; every page passes axe and fits the phone.
import t from 'tap'
import { confirmPath, liveCampaign } from '../helper.ts'
import { expectAccessible, expectFitsPhone, LANGS, launch, PHONE, serve, translatedCampaign } from './browser.ts'

const browser = await launch(t)
const { env, base } = await serve(t)
const slug = await liveCampaign(env, { ...translatedCampaign, deadline: '2030-03-01' })
const DESKTOP = { viewport: { width: 1280, height: 800 } }

for (const screen of [
  { name: 'phone', options: PHONE },
  { name: 'desktop', options: DESKTOP },
]) {
  for (const lang of LANGS) {
    await t.test(
      `${screen.name}, ${lang.code}: the thanks page shows the address and a suggestion, then the confirmed page what comes next`,
      async (t) => {
        const context = await browser.newContext({ ...screen.options, bypassCSP: true })
        t.teardown(() => context.close())
        const page = await context.newPage()
        const typed = `hana.${screen.name}.${lang.code}@gmial.com`
        await page.goto(`${base}/campaigns/${slug}?lang=${lang.code}`)
        await page.fill('#name', 'Hana')
        await page.fill('#email', typed)
        await page.selectOption('#country', 'KR')
        await page.check('#alerts')
        await Promise.all([
          page.waitForURL(`${base}/campaigns/${slug}/thanks`),
          page.click('form.sign button[type=submit]:not(.link)'),
        ])

        t.equal(await page.locator('main strong.address').first().innerText(), typed, 'the address typed is shown')
        t.equal(
          await page.locator('form.typo input[name=email]').inputValue(),
          typed.replace('gmial', 'gmail'),
          'gmail.com is suggested',
        )
        t.equal(await page.locator('section.next li').count(), 4, 'four steps: confirm, count, delivery, alerts')
        if (screen.name === 'phone') {
          await expectFitsPhone(t, page, 'thanks page')
          await page.screenshot({ path: `/tmp/j/thanks-${lang.code}.png`, fullPage: true })
        }
        await expectAccessible(t, page, `thanks page (${screen.name})`, lang.tag)

        const [mail] = await env.smtp.waitFor(1, 30_000)
        t.same(mail!.envelopeTo, [typed], 'the email went to the address as typed')
        env.smtp.messages.length = 0
        await page.goto(base + confirmPath(mail!))
        await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')])
        t.equal(await page.locator('section.next li').count(), 3, 'three steps: count, delivery, alerts started')
        t.equal(await page.locator('#share-url').inputValue(), `${base}/campaigns/${slug}`, 'the link to share')
        if (screen.name === 'phone') {
          await expectFitsPhone(t, page, 'confirmed page')
          await page.screenshot({ path: `/tmp/j/confirmed-${lang.code}.png`, fullPage: true })
        }
        await expectAccessible(t, page, `confirmed page (${screen.name})`, lang.tag)

        // The suggestion's button: the form again, with the corrected address filled in.
        await page.goBack()
        await page.goBack()
        await Promise.all([page.waitForURL(`${base}/campaigns/${slug}/form#sign`), page.click('form.typo button')])
        t.equal(await page.inputValue('#email'), typed.replace('gmial', 'gmail'))
      },
    )
  }
}
