// Sharing in Chromium on a phone, in en, ko and zh: the thanks page and the share page list every
// service as a plain link and pass axe; with JavaScript on (under the site's own CSP) the copy
// button appears and works, and nothing on the way, from the campaign page to the thanks page,
// makes a request that leaves 127.0.0.1.
import t from 'tap'
import { liveCampaign } from '../helper.ts'
import { expectAccessible, expectFitsPhone, LANGS, launch, PHONE, serve, translatedCampaign } from './browser.ts'

const browser = await launch(t)
const { env, base } = await serve(t)
const slug = await liveCampaign(env, translatedCampaign)

await t.test('signing and reaching the thanks page makes no request outside 127.0.0.1', async (t) => {
  const context = await browser.newContext({ ...PHONE })
  t.teardown(() => context.close())
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base })
  const page = await context.newPage()
  const requests: string[] = []
  const problems: string[] = []
  page.on('request', (r) => requests.push(r.url()))
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`))
  page.on('pageerror', (e) => problems.push(`error: ${e.message}`))
  await page.goto(`${base}/campaigns/${slug}?lang=ko`)
  await page.fill('#name', 'Hana')
  await page.fill('#email', 'hana.share@example.org')
  await page.selectOption('#country', 'KR')
  await Promise.all([
    page.waitForURL(`${base}/campaigns/${slug}/thanks`),
    page.click('form.sign button[type=submit]:not(.link)'),
  ])
  t.equal(await page.locator('ul.share-links a').count(), 7, 'seven services')
  const copy = page.locator('button[data-share="copy"]')
  t.ok(await copy.isVisible(), 'with JavaScript, the copy button shows')
  await copy.click()
  t.equal(await page.locator('section.share [role="status"]').innerText(), '링크를 복사했습니다.', 'it says so')
  t.equal(await page.evaluate(() => navigator.clipboard.readText()), `${base}/campaigns/${slug}?lang=ko`)
  await page.goto(`${base}/campaigns/${slug}/share?lang=ko`)
  t.ok(requests.length > 3, `${requests.length} requests seen`)
  t.same(
    requests.filter((u) => !u.startsWith(`${base}/`)),
    [],
    'every request went to 127.0.0.1',
  )
  t.same(problems, [], 'no script error and no CSP refusal')
})

for (const lang of LANGS) {
  await t.test(`${lang.code}: the share page and the thanks page list each service and pass axe`, async (t) => {
    const context = await browser.newContext({ ...PHONE, bypassCSP: true, javaScriptEnabled: true })
    t.teardown(() => context.close())
    const page = await context.newPage()
    await page.goto(`${base}/campaigns/${slug}/share?lang=${lang.code}`)
    t.equal(await page.locator('ul.share-links a').count(), 7)
    await expectFitsPhone(t, page, 'share page')
    await page.screenshot({ path: `/tmp/c/share-${lang.code}.png`, fullPage: true })
    await expectAccessible(t, page, 'share page', lang.tag)
    await page.goto(`${base}/campaigns/${slug}/thanks?lang=${lang.code}`)
    await expectAccessible(t, page, 'thanks page', lang.tag)
    await page.goto(`${base}/campaigns/${slug}?lang=${lang.code}`)
    await expectAccessible(t, page, 'campaign page', lang.tag)
  })
}

await t.test('without JavaScript the buttons stay hidden and the links and address remain', async (t) => {
  const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false })
  t.teardown(() => context.close())
  const page = await context.newPage()
  await page.goto(`${base}/campaigns/${slug}/share?lang=en`)
  t.notOk(await page.locator('button[data-share="copy"]').isVisible(), 'no copy button')
  t.notOk(await page.locator('button[data-share="native"]').isVisible(), 'no share sheet button')
  t.equal(await page.locator('#share-url').inputValue(), `${base}/campaigns/${slug}`)
  t.equal(await page.locator('ul.share-links a').count(), 7)
})
