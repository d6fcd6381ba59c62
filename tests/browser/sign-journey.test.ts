// The signing journey's first steps in Chromium, on a phone and at a desk, in en, ko and zh, on
// the demo campaign (a long story, as real campaigns have): a "Sign" action in the first screen.
import t from 'tap'
import { loadDemo, DEMO_SLUG } from '../../src/modules/demo/service.ts'
import { translator } from '../../src/i18n/index.ts'
import { expectAccessible, LANGS, launch, PHONE, serve } from './browser.ts'

const browser = await launch(t)
const { env, base } = await serve(t)
await loadDemo(env.db)

const DESKTOP = { viewport: { width: 1280, height: 800 } }
const SCREENS = [
  { name: 'phone', options: PHONE },
  { name: 'desktop', options: DESKTOP },
]

for (const screen of SCREENS) {
  for (const lang of LANGS) {
    await t.test(
      `a ${screen.name} reader in ${lang.code} sees "Sign" in the first screen and it leads to the form`,
      async (t) => {
        const context = await browser.newContext({ ...screen.options, bypassCSP: true })
        t.teardown(() => context.close())
        const page = await context.newPage()
        await page.goto(`${base}/campaigns/${DEMO_SLUG}?lang=${lang.code}`)
        const height = screen.options.viewport.height

        const action = page.locator('main a.button[href="#sign"]')
        t.equal(await action.count(), 1, 'one sign action above the story')
        t.equal((await action.innerText()).trim(), translator(lang.code)('form.title'), 'it says sign, in the language')
        const box = await action.boundingBox()
        t.ok(
          box && box.y >= 0 && box.y + box.height <= height,
          `inside the first ${height} px (bottom at ${box && box.y + box.height})`,
        )
        const form = await page.locator('form.sign').boundingBox()
        t.ok(form && form.y > height, `the form itself is further down (${form?.y} px): the link is what is seen`)
        if (screen.name === 'phone') await page.screenshot({ path: `/tmp/j/first-screen-${lang.code}.png` })

        await action.click()
        await page.waitForFunction(() => location.hash === '#sign')
        const heading = await page.locator('form.sign h2#sign').boundingBox()
        t.ok(
          heading && heading.y >= 0 && heading.y < height,
          `the form's heading is on screen after the tap (${heading?.y})`,
        )
        await expectAccessible(t, page, `campaign page (${screen.name})`, lang.tag)
      },
    )
  }
}

for (const lang of LANGS) {
  await t.test(
    `in ${lang.code}, "country not listed" shows every country and keeps what was typed${lang.code === 'en' ? ', without JavaScript' : ''}`,
    async (t) => {
      // The page has no script of its own; English runs with JavaScript off, the others on for axe.
      const scripts = lang.code !== 'en'
      const context = await browser.newContext({ ...PHONE, javaScriptEnabled: scripts, bypassCSP: true })
      t.teardown(() => context.close())
      const page = await context.newPage()
      await page.goto(`${base}/campaigns/${DEMO_SLUG}?lang=${lang.code}`)
      const short = await page.locator('#country option').count()
      await page.fill('#name', '최은정')
      await page.fill('#email', `eunjung-${lang.code}@example.org`)
      await page.fill('#comment', '지금 멈춰 주세요')
      await page.check('#alerts')
      const more = page.locator('form.sign button.link')
      t.equal((await more.innerText()).trim(), translator(lang.code)('form.countryAll'))
      await Promise.all([page.waitForURL(`${base}/campaigns/${DEMO_SLUG}/form#country`), more.click()])

      t.ok((await page.locator('#country option').count()) > Math.max(240, short), 'every country is listed now')
      t.equal(await page.inputValue('#name'), '최은정', 'the name typed is kept')
      t.equal(await page.inputValue('#email'), `eunjung-${lang.code}@example.org`, 'the email typed is kept')
      t.equal(await page.inputValue('#comment'), '지금 멈춰 주세요', 'the comment typed is kept')
      t.ok(await page.isChecked('#alerts'), 'the alerts box stays ticked')
      t.equal(await page.locator('.error, .error-summary').count(), 0, 'nothing is called wrong')
      const country = await page.locator('#country').boundingBox()
      t.ok(
        country && country.y >= 0 && country.y < PHONE.viewport.height,
        `the country list is on screen (${country?.y})`,
      )
      if (lang.code === 'zh') await page.screenshot({ path: '/tmp/j/all-countries-zh.png' })
      if (scripts) await expectAccessible(t, page, 'the form with every country', lang.tag)

      await page.selectOption('#country', 'ZA')
      await Promise.all([
        page.waitForURL(`${base}/campaigns/${DEMO_SLUG}/thanks`),
        page.click('form.sign button[type=submit]:not(.link)'),
      ])
      const [mail] = await env.smtp.waitFor(1, 30_000)
      t.same(
        mail!.envelopeTo,
        [`eunjung-${lang.code}@example.org`],
        'signing from the full list sends the confirmation',
      )
      env.smtp.messages.length = 0
    },
  )
}

await t.test('Enter in a field signs: the form\'s default button is "Sign", not "show all countries"', async (t) => {
  const context = await browser.newContext({ ...PHONE, bypassCSP: true })
  t.teardown(() => context.close())
  const page = await context.newPage()
  await page.goto(`${base}/campaigns/${DEMO_SLUG}?lang=ko`)
  await page.fill('#name', '최은정')
  await page.selectOption('#country', 'KR')
  await page.fill('#email', 'enter-key@example.org')
  await Promise.all([page.waitForURL(`${base}/campaigns/${DEMO_SLUG}/thanks`), page.press('#email', 'Enter')])
  const [mail] = await env.smtp.waitFor(1, 30_000)
  t.same(mail!.envelopeTo, ['enter-key@example.org'], 'the confirmation is on its way')
  env.smtp.messages.length = 0
})
