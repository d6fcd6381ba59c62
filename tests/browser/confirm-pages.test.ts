// The console's confirm pages (closing a live campaign, cancelling an alert, disabling an account,
// applying an invalidation) in a real Chromium on a 390 px phone, in each language: reached by the
// action's own button without JavaScript, axe WCAG 2.1 A/AA, no sideways scrolling; "no" changes
// nothing and "yes" does the action.
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { systemActor } from '../../src/modules/audit/service.ts'
import { createOrganizer } from '../../src/modules/organizers/service.ts'
import { createReport, publishReport } from '../../src/modules/reports/service.ts'
import { hashIp } from '../../src/security.ts'
import { liveCampaign, setup } from '../helper.ts'
import { expectAccessible, expectFitsPhone, launch, LANGS, PHONE, translatedCampaign } from './browser.ts'

const browser = await launch(t)
// No workers: the alert stays queued, so it can still be cancelled.
const env = await setup(t, { workers: false })
await env.app.listen({ port: 0, host: '127.0.0.1' })
const base = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`

const actor = systemActor('cli')
const slug = await liveCampaign(env, translatedCampaign)
const campaign = await env.db.selectFrom('campaigns').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()
let firstBot = ''
for (let i = 1; i <= 12; i++) {
  const row = await env.db
    .insertInto('signatures')
    .values({
      campaign_id: campaign.id,
      name: `봇 ${i}`,
      email: `bot${i}@flood.example`,
      email_key: `bot${i}@flood.example`,
      country: 'KR',
      comment: null,
      public_name: false,
      wants_alerts: false,
      locale: 'ko',
      status: 'pending',
      confirm_nonce: randomBytes(16),
      confirm_expires_at: new Date(Date.now() + 86_400_000),
      ip_hash: hashIp(env.config.secretKey, '198.51.100.20'),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  firstBot ||= row.id
}
const report = await createReport(env.db, actor, {
  occurredOn: '2021-07-15',
  place: { name: 'Dandong', province: 'Liaoning', country: 'CN' },
  peopleCount: 180,
  kind: 'detention',
  summary: 'Held in Dandong.',
  confidence: 'credible',
})
const { alertId } = await publishReport(env.db, actor, report.id)
const email = 'confirm-pages@example.org'
const { password } = await createOrganizer(env.db, actor, { email, name: 'Console Admin', role: 'admin' })
await env.db.updateTable('organizers').set({ password_must_change: false }).where('email', '=', email).execute()
const other = await createOrganizer(env.db, actor, {
  email: 'jun.ho@example.org',
  name: '이준호',
  role: 'organizer',
})

const screens = [
  {
    name: 'close a campaign',
    path: `/admin/campaigns/${slug}`,
    button: `form[action="/admin/campaigns/${slug}/close"] button`,
  },
  {
    name: 'cancel an alert',
    path: `/admin/alerts/${alertId}`,
    button: `form[action="/admin/alerts/${alertId}/cancel"] button`,
  },
  {
    name: 'disable an account',
    path: '/admin/organizers',
    button: `form[action="/admin/organizers/${other.id}/disable"] button`,
  },
  {
    name: 'apply an invalidation',
    path: `/admin/campaigns/${slug}/invalidations/new?sameIpAs=${firstBot}`,
    button: `form[action="/admin/campaigns/${slug}/invalidations"] button`,
    shot: 'invalidate',
  },
]

for (const lang of LANGS) {
  await t.test(`each confirm page passes axe and fits a phone in ${lang.code}; "no" changes nothing`, async (t) => {
    const context = await browser.newContext({ ...PHONE, bypassCSP: true })
    t.teardown(() => context.close())
    const page = await context.newPage()
    // The console speaks the account's own language, whatever the login page spoke.
    await env.db.updateTable('organizers').set({ locale: lang.code }).where('email', '=', email).execute()
    await page.goto(`${base}/admin/login?lang=${lang.code}`)
    await page.fill('#f-email', email)
    await page.fill('#f-password', password)
    await Promise.all([page.waitForURL(`${base}/admin`), page.click('main form button[type=submit]')])

    for (const screen of screens) {
      await page.goto(base + screen.path)
      const [response] = await Promise.all([page.waitForNavigation(), page.click(screen.button)])
      t.equal(response?.status(), 200, `${screen.name}: the button opens its confirm page`)
      t.equal(await page.locator('main input[name=confirm][value="1"]').count(), 1, `${screen.name}: it asks`)
      await expectFitsPhone(t, page, `${screen.name} confirm page`)
      await expectAccessible(t, page, `${screen.name} confirm page`, lang.tag)
      if (lang.code !== 'en')
        await page.screenshot({
          path: `/tmp/ua-confirm-${screen.shot ?? screen.name.split(' ')[0]}-${lang.code}.png`,
          fullPage: true,
        })
      await Promise.all([page.waitForNavigation(), page.click('main a.button.secondary')])
      t.equal(new URL(page.url()).pathname, new URL(base + screen.path).pathname, `${screen.name}: "no" leads back`)
    }
    const live = await env.db
      .selectFrom('campaigns')
      .select('status')
      .where('id', '=', campaign.id)
      .executeTakeFirstOrThrow()
    t.equal(live.status, 'live', 'the campaign is still live')
    const invalidated = await env.db.selectFrom('signatures').select('id').where('status', '=', 'invalidated').execute()
    t.equal(invalidated.length, 0, 'no signature was invalidated')
  })
}

await t.test('"yes" on a confirm page does the action, without JavaScript', async (t) => {
  const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false })
  t.teardown(() => context.close())
  const page = await context.newPage()
  await env.db.updateTable('organizers').set({ locale: 'ko' }).where('email', '=', email).execute()
  await page.goto(`${base}/admin/login?lang=ko`)
  await page.fill('#f-email', email)
  await page.fill('#f-password', password)
  await Promise.all([page.waitForURL(`${base}/admin`), page.click('main form button[type=submit]')])
  const invalidation = screens[3]!
  await page.goto(base + invalidation.path)
  await Promise.all([page.waitForNavigation(), page.click(invalidation.button)])
  await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')])
  t.equal(new URL(page.url()).pathname, `/admin/campaigns/${slug}`)
  const invalidated = await env.db.selectFrom('signatures').select('id').where('status', '=', 'invalidated').execute()
  t.equal(invalidated.length, 12, 'the twelve signatures are invalidated')
  t.match(await page.locator('main').innerText(), /번 서명과 같은 네트워크/, 'and the history says so in words')
})
