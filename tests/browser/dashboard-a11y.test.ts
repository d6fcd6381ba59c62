// The console's dashboard and account page in a real Chromium (issue 18, points 11 and 16): axe
// WCAG 2.1 A/AA on a phone and a desktop in each console language, the phone without sideways
// scrolling, and the settings form with its error. Screenshots at 390 px in ko and zh go to /tmp.
import { randomBytes } from 'node:crypto'
import t from 'tap'
import { expectAccessible, expectFitsPhone, LANGS, PHONE } from './browser.ts'
import { consoleFixture } from './console-fixture.ts'

const { browser, env, slug, base, logIn, submit } = await consoleFixture(t)

// Something in every table: subscribers on three topics, and a webhook delivery given up.
const campaign = await env.db.selectFrom('campaigns').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()
for (const [frequency, topic] of [
  ['immediate', 'all'],
  ['daily', 'campaign'],
  ['immediate', 'province'],
] as const) {
  const email = `dash-${randomBytes(3).toString('hex')}@example.org`
  const { id } = await env.db
    .insertInto('subscribers')
    .values({
      email,
      email_key: email,
      nonce: randomBytes(16),
      frequency,
      status: 'active',
      topic_all: topic === 'all',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (topic === 'campaign') {
    await env.db.insertInto('subscriber_campaigns').values({ subscriber_id: id, campaign_id: campaign.id }).execute()
  }
  if (topic === 'province') {
    await env.db.insertInto('subscriber_provinces').values({ subscriber_id: id, province: 'Jilin' }).execute()
  }
}
const hook = await env.db
  .insertInto('webhooks')
  .values({
    url: 'https://partner.example.org/hooks/urgent-action/receive-events-for-our-crm',
    events: ['report.published'],
    secret: 'whsec_x',
  })
  .returning('id')
  .executeTakeFirstOrThrow()
await env.db
  .insertInto('webhook_deliveries')
  .values({
    webhook_id: hook.id,
    event: 'report.published',
    payload: '{}',
    status: 'failed',
    attempts: 15,
    settled_at: new Date(),
  })
  .execute()

for (const device of ['phone', 'desktop'] as const) {
  for (const lang of LANGS) {
    await t.test(`the dashboard and account page pass axe on a ${device} in ${lang.code}`, async (t) => {
      const context = await browser.newContext({ ...(device === 'phone' ? PHONE : {}), bypassCSP: true })
      t.teardown(() => context.close())
      const page = await context.newPage()
      await logIn(page, lang.code)

      t.equal(page.url(), `${base}/admin`, 'a login lands on the dashboard')
      t.equal(await page.locator(`#campaign-${slug} dd.total`).innerText(), '1', 'the confirmed signature')
      t.equal(await page.locator(`#campaign-${slug} svg.day-chart title`).count(), 1, 'its chart, named')
      t.equal(await page.locator('#topics tbody tr').count(), 3, 'three topics')
      t.equal(await page.locator('#webhook-failures tbody tr').count(), 1, 'the delivery given up')
      if (device === 'phone') {
        await expectFitsPhone(t, page, 'dashboard')
        if (lang.code !== 'en')
          await page.screenshot({ path: `/tmp/ua-dashboard-${lang.code}-phone.png`, fullPage: true })
      }
      await expectAccessible(t, page, 'dashboard', lang.tag)

      await page.goto(`${base}/admin/account`)
      await expectAccessible(t, page, 'account page', lang.tag)
      await page.fill('#f-timeZone', 'Mars/Olympus_Mons')
      t.equal(await submit(page, '#settings button[type=submit]'), 400, 'an unknown zone comes back with 400')
      t.equal(await page.locator('.field.invalid #f-timeZone').count(), 1, 'its field is marked invalid')
      if (device === 'phone') {
        await expectFitsPhone(t, page, 'account page with an error')
        if (lang.code !== 'en')
          await page.screenshot({ path: `/tmp/ua-account-${lang.code}-phone.png`, fullPage: true })
      }
      await expectAccessible(t, page, 'account page with an error', lang.tag)
      await page.fill('#f-timeZone', 'Asia/Seoul')
      t.equal(await submit(page, '#settings button[type=submit]'), 200, 'a real zone is saved')
      t.equal(page.url(), `${base}/admin/account?saved`)
      await expectAccessible(t, page, 'account page saved', lang.tag)
      await env.db
        .updateTable('organizers')
        .set({ time_zone: null })
        .where('email', '=', 'console-a11y@example.org')
        .execute()
    })
  }
}
