// The whole petition journey in Chromium on a phone with JavaScript off, watching every request.
import t from 'tap'
import { confirmPath, eventually, liveCampaign } from '../helper.ts'
import { launch, PHONE, serve, translatedCampaign } from './browser.ts'

const browser = await launch(t)
const { env, base } = await serve(t)
const slug = await liveCampaign(env, translatedCampaign)

const requests: string[] = []
const problems: string[] = []

await t.test('a person signs and confirms on a phone without JavaScript, and the count shows it', async (t) => {
  const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false })
  t.teardown(() => context.close())
  const page = await context.newPage()
  page.on('request', (r) => requests.push(r.url()))
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`))
  page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()}: ${r.url()}`))
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()} at ${m.location().url}`))
  const heading = () => page.locator('main h1').innerText()
  const count = () => page.locator('#count strong').innerText()

  const home = await page.goto(`${base}/?lang=en`)
  t.equal(home?.status(), 200, 'the home page opens')
  await Promise.all([page.waitForURL(`${base}/campaigns/${slug}`), page.click(`.card a[href="/campaigns/${slug}"]`)])
  t.equal(await heading(), translatedCampaign.title, 'it shows the campaign')
  t.match(await count(), /^Signatures: 0\b/, 'nobody has signed yet')

  await page.fill('#name', 'Kim Min-ji')
  await page.fill('#email', 'minji.kim@example.org')
  await page.selectOption('#country', 'KR')
  await page.check('#publicName')
  await Promise.all([
    page.waitForURL(`${base}/campaigns/${slug}/thanks`),
    page.click('form.sign button[type=submit]:not([formaction])'),
  ])
  t.equal(await heading(), 'Check your email', 'the thank-you page asks to check the email')

  const [mail] = await env.smtp.waitFor(1, 30_000)
  t.same(mail!.envelopeTo, ['minji.kim@example.org'], 'the confirmation goes to the address typed')
  t.match(mail!.parsed.text, `${base}/confirm/`, 'the email links to PUBLIC_URL')
  const link = base + confirmPath(mail!)

  await page.goto(link)
  t.equal(await heading(), 'Confirm your signature', 'opening the link only shows a button')
  await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')])
  t.equal(await heading(), 'Thank you, your signature counts', 'pressing the button confirms')

  await Promise.all([page.waitForURL(`${base}/campaigns/${slug}`), page.click(`main a[href="/campaigns/${slug}"]`)])
  // Counts are flushed every 100 ms in tests and the page is cached for 500 ms.
  const shown = await eventually(
    async () => {
      const text = await count()
      if (/^Signatures: 1\b/.test(text)) return text
      await page.reload()
      return undefined
    },
    15_000,
    'the campaign page to show one signature',
  )
  t.match(shown, /^Signatures: 1\b/, 'the campaign page counts the confirmed signature')
  t.equal(await page.locator('.signers li strong').innerText(), 'Kim Min-ji', 'the public name is listed')
})

await t.test('the pages make no third-party request, fail no request and break no CSP rule', async (t) => {
  t.ok(requests.length >= 8, `the journey's requests were recorded (${requests.length})`)
  t.ok(
    requests.some((u) => new URL(u).pathname === '/static/app.css'),
    'subresources (the stylesheet) are among them',
  )
  const foreign = requests.filter((u) => new URL(u).origin !== base)
  t.same(foreign, [], `every request goes to ${base}`)
  t.same(problems, [], 'no failed request and no console error (CSP reports show there)')
})
