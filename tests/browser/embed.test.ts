// The embeddable form in Chromium: a partner's page on another origin (localhost, while the app
// is 127.0.0.1: another site, so the frame gets none of our SameSite=Lax cookies) frames it, a
// person signs inside the frame and gets the confirmation email; a page on an origin the campaign
// does not list cannot frame it. The embed and its thanks pass axe in en, ko and zh, on a phone.
import { mkdirSync } from 'node:fs'
import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { translator } from '../../src/i18n/index.ts'
import { organizerAuth } from '../helper.ts'
import { expectAccessible, expectFitsPhone, LANGS, launch, PHONE, serve, translatedCampaign } from './browser.ts'

mkdirSync('/tmp/b', { recursive: true })
const browser = await launch(t)
// A person takes a moment: the render stamp must be older than this when the form is sent.
const { env, base } = await serve(t, { FORM_MIN_SECONDS: '1' })

/** A partner's site: one page framing `src`, on localhost at a port of its own. */
async function partnerSite(src: () => string): Promise<{ origin: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end(
      `<!doctype html><html lang="en"><head><title>Partner</title></head><body><h1>Our partner page</h1>` +
        `<iframe src="${src()}" title="Petition" width="400" height="900"></iframe></body></html>`,
    )
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => new Promise((resolve) => server.close(resolve)))
  return { origin: `http://localhost:${(server.address() as AddressInfo).port}`, server }
}

let embedUrl = ''
const partner = await partnerSite(() => embedUrl)
const stranger = await partnerSite(() => embedUrl)

const auth = await organizerAuth(env.db)
const created = await env.app.inject({
  method: 'POST',
  url: '/api/v1/campaigns',
  headers: { authorization: auth },
  payload: { ...translatedCampaign, slug: 'embedded', embedOrigins: [partner.origin] },
})
if (created.statusCode !== 201) throw new Error(created.body)
await env.app.inject({ method: 'POST', url: '/api/v1/campaigns/embedded/launch', headers: { authorization: auth } })

const requests: string[] = []

t.test('a person signs inside the frame on the partner site and gets the email', async (t) => {
  const context = await browser.newContext(PHONE)
  t.teardown(() => context.close())
  const page = await context.newPage()
  page.on('request', (r) => requests.push(r.url()))
  embedUrl = `${base}/campaigns/embedded/embed?hl=ko`
  await page.goto(`${partner.origin}/`)
  const frame = page.frameLocator('iframe')
  const tr = translator('ko')
  await frame.locator('h1').waitFor()
  t.equal((await frame.locator('h1').innerText()).trim(), translatedCampaign.translations.ko.title)
  await frame.locator('#name').fill('최은정')
  await frame.locator('#email').fill('eunjung@example.org')
  await frame.locator('#country').selectOption('KR')
  await page.waitForTimeout(1200)
  await frame.locator('form.sign button[type="submit"]:not(.visually-hidden):not(.link)').click()
  await frame.locator('h1', { hasText: tr('thanks.title') }).waitFor()
  t.match(await frame.locator('main').innerText(), /eunjung@example\.org/, 'the address typed, without a cookie')
  t.equal(new URL(page.url()).origin, partner.origin, 'the partner page stays; the thanks is in the frame')
  await page.screenshot({ path: '/tmp/b/embed-framed-thanks-ko.png' })

  const [mail] = await env.smtp.waitFor(1)
  t.same(mail!.envelopeTo, ['eunjung@example.org'], 'the confirmation email arrives')
  const row = await env.db.selectFrom('signatures').select(['status', 'locale']).executeTakeFirstOrThrow()
  t.same(row, { status: 'pending', locale: 'ko' }, 'signed, in the frame’s language')
})

t.test('a mistake is shown inside the frame, and sending it right signs', async (t) => {
  const context = await browser.newContext(PHONE)
  t.teardown(() => context.close())
  const page = await context.newPage()
  page.on('request', (r) => requests.push(r.url()))
  embedUrl = `${base}/campaigns/embedded/embed?hl=en`
  await page.goto(`${partner.origin}/`)
  const frame = page.frameLocator('iframe')
  await frame.locator('#name').fill('Lee')
  await frame.locator('#email').fill('not an address')
  await frame.locator('#country').selectOption('KR')
  await page.waitForTimeout(1200)
  await frame.locator('form.sign button[type="submit"]:not(.visually-hidden):not(.link)').click()
  await frame.locator('.error-summary').waitFor()
  t.equal(await frame.locator('#name').inputValue(), 'Lee', 'what was typed stays')
  await frame.locator('#email').fill('lee@example.org')
  await frame.locator('form.sign button[type="submit"]:not(.visually-hidden):not(.link)').click()
  await frame.locator('h1', { hasText: translator('en')('thanks.title') }).waitFor()
  const mails = await env.smtp.waitFor(2)
  t.ok(
    mails.some((m) => m.envelopeTo.includes('lee@example.org')),
    'the email for the corrected address',
  )
})

t.test('a page on an origin the campaign does not list cannot frame it', async (t) => {
  const context = await browser.newContext()
  t.teardown(() => context.close())
  const page = await context.newPage()
  embedUrl = `${base}/campaigns/embedded/embed?hl=en`
  const refused = page.waitForEvent('console', { predicate: (m) => /frame-ancestors/.test(m.text()), timeout: 10_000 })
  await page.goto(`${stranger.origin}/`)
  await refused
  t.equal(await page.frameLocator('iframe').locator('form.sign').count(), 0, 'no form in the frame')

  // The campaign page itself may be framed by no one, the partner included.
  embedUrl = `${base}/campaigns/embedded`
  const blocked = page.waitForEvent('console', { predicate: (m) => /frame-ancestors/.test(m.text()), timeout: 10_000 })
  await page.goto(`${partner.origin}/`)
  await blocked
  t.equal(await page.frameLocator('iframe').getByText(translatedCampaign.title).count(), 0, 'not shown in the frame')
})

for (const lang of LANGS) {
  t.test(`the embed and its thanks in ${lang.code}: accessible, on a phone`, async (t) => {
    const context = await browser.newContext({ ...PHONE, bypassCSP: true })
    t.teardown(() => context.close())
    const page = await context.newPage()
    page.on('request', (r) => requests.push(r.url()))
    await page.goto(`${base}/campaigns/embedded/embed?hl=${lang.code}`)
    await expectAccessible(t, page, `embed (${lang.code})`, lang.tag)
    await expectFitsPhone(t, page, `embed (${lang.code})`)
    await page.screenshot({ path: `/tmp/b/embed-${lang.code}.png`, fullPage: true })

    await page.fill('#name', 'Kim')
    await page.fill('#email', `kim-${lang.code}@gmial.com`)
    await page.selectOption('#country', 'KR')
    await page.waitForTimeout(1200)
    await page.click('form.sign button[type="submit"]:not(.visually-hidden):not(.link)')
    await page.locator('h1', { hasText: translator(lang.code)('thanks.title') }).waitFor()
    await expectAccessible(t, page, `embed thanks (${lang.code})`, lang.tag)
    await expectFitsPhone(t, page, `embed thanks (${lang.code})`)
    await page.screenshot({ path: `/tmp/b/embed-thanks-${lang.code}.png`, fullPage: true })
  })
}

t.test('no request left for a third party', async (t) => {
  const outside = requests.filter((u) => !u.startsWith(base) && !u.startsWith(partner.origin))
  t.same(outside, [])
})
