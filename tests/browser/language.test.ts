// Language choice as a browser lives it: Accept-Language first, then ?lang= remembered in a cookie.
import t from 'tap'
import { liveCampaign } from '../helper.ts'
import { htmlLang, launch, serve, translatedCampaign } from './browser.ts'

const browser = await launch(t)
const { env, base } = await serve(t)
const slug = await liveCampaign(env, translatedCampaign)

await t.test('a browser that asks for Korean gets the Korean interface', async (t) => {
  const context = await browser.newContext({ locale: 'ko-KR', javaScriptEnabled: false })
  t.teardown(() => context.close())
  const page = await context.newPage()

  const response = await page.goto(`${base}/`)
  t.match(await response!.request().headerValue('accept-language'), /^ko\b/, 'Chromium sent Accept-Language: ko')
  t.equal(response!.headers()['content-language'], 'ko', 'the answer says it is in Korean')
  t.equal(await htmlLang(page), 'ko', '<html lang="ko">')
  t.equal(await page.locator('main h1').innerText(), '진행 중인 캠페인', 'the heading is Korean')
  t.equal(await page.locator('header .brand').innerText(), '긴급 행동', 'the site name is Korean')
  t.equal(await page.locator('.langs a[aria-current]').innerText(), '한국어', 'the language menu marks Korean')
  t.equal(
    await page.locator('.card h2').innerText(),
    translatedCampaign.translations.ko.title,
    'the campaign title is its Korean translation',
  )
  t.same(await context.cookies(), [], 'nothing is remembered when the browser only asked')
})

await t.test('?lang=zh switches to Chinese and a cookie keeps it on the next pages', async (t) => {
  const context = await browser.newContext({ locale: 'ko-KR', javaScriptEnabled: false })
  t.teardown(() => context.close())
  const page = await context.newPage()
  await page.goto(`${base}/`)
  t.equal(await htmlLang(page), 'ko', 'it starts in Korean')

  await Promise.all([page.waitForURL(`${base}/?lang=zh`), page.click('.langs a[hreflang=zh]')])
  t.equal(await htmlLang(page), 'zh-Hans', 'the language link switches to Chinese')
  t.equal(await page.locator('main h1').innerText(), '进行中的行动', 'the heading is Chinese')

  const cookie = (await context.cookies()).find((c) => c.name === 'lang')
  t.match(cookie, { value: 'zh', path: '/', httpOnly: true, sameSite: 'Lax' }, 'the choice is kept in a cookie')
  t.ok(cookie!.expires > Date.now() / 1000 + 300 * 24 * 3600, 'for about a year')

  // The next navigation carries no ?lang= and still asks for Korean: the cookie wins.
  await Promise.all([page.waitForURL(`${base}/campaigns/${slug}`), page.click(`.card a[href="/campaigns/${slug}"]`)])
  t.equal(await htmlLang(page), 'zh-Hans', 'the campaign page is still in Chinese')
  t.equal(
    await page.locator('form.sign button[type=submit]:not([formaction])').innerText(),
    '签名',
    'the form is in Chinese',
  )
  t.equal(await page.locator('article h1').innerText(), translatedCampaign.translations.zh.title, 'so is the campaign')
  t.equal(await page.locator('article').getAttribute('lang'), 'zh-Hans', 'the campaign text is marked as Chinese')

  await page.goto(`${base}/`)
  t.equal(await htmlLang(page), 'zh-Hans', 'a fresh visit to the home page stays Chinese')

  await Promise.all([page.waitForURL(`${base}/?lang=en`), page.click('.langs a[hreflang=en]')])
  t.equal(await htmlLang(page), 'en', 'choosing English switches back')
  await page.goto(`${base}/campaigns/${slug}`)
  t.equal(await page.locator('article h1').innerText(), translatedCampaign.title, 'and English is then remembered')
})
