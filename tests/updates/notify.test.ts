import { sql } from 'kysely'
import t from 'tap'
import { suppress } from '../../src/modules/subscribers/repository.ts'
import { liveCampaign, setup, sleep } from '../helper.ts'
import { activeSubscriber, mailsTo, rawHeader, settled } from '../alerts/helpers.ts'
import { confirmedSigner, postUpdate } from './helpers.ts'

const update = { kind: 'good-news', title: 'Released', body: 'They were let go.\n\nThank you all.', notify: true }

t.test('an update reaches every confirmed signer who wants it once, and nobody else', async (t) => {
  const env = await setup(t)
  const slug = await liveCampaign(env)
  const other = await liveCampaign(env, { title: 'Another case' })
  await confirmedSigner(env, slug, 'one@example.org')
  await confirmedSigner(env, slug, 'two@example.org', { lang: 'ko' })
  await confirmedSigner(env, slug, 'optout@example.org', { updates: false })
  await confirmedSigner(env, slug, 'pending@example.org', { confirm: false })
  await confirmedSigner(env, slug, 'held@example.org')
  await confirmedSigner(env, slug, 'invalid@example.org')
  await confirmedSigner(env, slug, 'bounced@example.org')
  await confirmedSigner(env, other, 'elsewhere@example.org')
  await env.db.updateTable('signatures').set({ held: true }).where('email', '=', 'held@example.org').execute()
  await sql`
    with batch as (
      insert into invalidations (campaign_id, filter, hit)
      select campaign_id, '{}', 1 from signatures where email = 'invalid@example.org' returning id
    )
    update signatures set status = 'invalidated', invalidation_id = (select id from batch)
    where email = 'invalid@example.org'`.execute(env.db)
  await suppress(env.db, env.config.secretKey, 'bounced@example.org', 'bounced')

  const before = env.smtp.messages.length
  const posted = await postUpdate(env, slug, update)
  t.equal(posted.status, 202)
  t.match(posted.json, { update: { kind: 'good-news', title: 'Released', lang: 'en' }, alert: { id: /^\d+$/ } })
  const progress = await settled(env, posted.json.alert.id, posted.headers)
  await sleep(300)
  const got = env.smtp.messages
    .slice(before)
    .flatMap((m) => m.envelopeTo)
    .sort()
  t.same(got, ['one@example.org', 'two@example.org'], 'the confirmed signers who want news, once each')
  t.match(progress, { status: 'done', recipients: 3, sent: 2, suppressed: 1, failed: 0 })
  t.match(progress, { kind: 'update', update: posted.json.update.id, report: null })

  const ko = mailsTo(env, 'two@example.org').at(-1)!
  t.match(ko.parsed.subject, /^좋은 소식: Released$/, 'the subject in the signer language')
  t.match(ko.parsed.text, /서명하셨기 때문에/)
  t.match(ko.parsed.html, /<div lang="en">/, 'the update marked with the language it is written in')
  const en = mailsTo(env, 'one@example.org').at(-1)!
  t.match(en.parsed.subject, /^Good news: Released$/)
  t.match(en.parsed.text, /They were let go\.\n\nThank you all\./)
})

t.test('one-click unsubscribe stops that campaign updates only', async (t) => {
  const env = await setup(t)
  const x = await liveCampaign(env)
  const y = await liveCampaign(env, { title: 'Another case' })
  await confirmedSigner(env, x, 'reader@example.org')
  await confirmedSigner(env, y, 'reader@example.org')
  const auth = (await postUpdate(env, x, { ...update, notify: false })).headers.authorization
  const first = await postUpdate(env, x, update, auth)
  await settled(env, first.json.alert.id, first.headers)
  const mail = mailsTo(env, 'reader@example.org').at(-1)!
  const listUnsubscribe = rawHeader(mail, 'List-Unsubscribe')!
  t.match(listUnsubscribe, /^<http:\/\/ua\.test\/updates\/stop\/[\w.-]+\?lang=en>$/, 'in the signer language')
  t.equal(rawHeader(mail, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click')
  const url = /<http:\/\/ua\.test(\/updates\/stop\/[\w.-]+)\?lang=en>/.exec(listUnsubscribe)![1]!
  const page = await env.app.inject({ url })
  t.match(page.body, /Stop these emails/, 'a GET only shows the button')
  t.equal(page.headers['cache-control'], 'no-store')
  const oneClick = await env.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'List-Unsubscribe=One-Click',
  })
  t.equal(oneClick.statusCode, 200)
  t.match(oneClick.body, /no more news/)
  const forged = await env.app.inject({ method: 'POST', url: url.slice(0, -2) + 'AA' })
  t.equal(forged.statusCode, 404, 'a token that is not ours stops nothing')

  const before = mailsTo(env, 'reader@example.org').length
  const again = await postUpdate(env, x, { ...update, title: 'Again' }, auth)
  t.match(await settled(env, again.json.alert.id, again.headers), { recipients: 0, sent: 0 })
  const onY = await postUpdate(env, y, { ...update, title: 'On the other campaign' }, auth)
  t.match(await settled(env, onY.json.alert.id, onY.headers), { recipients: 1, sent: 1 })
  await sleep(200)
  const after = mailsTo(env, 'reader@example.org').slice(before)
  t.same(
    after.map((m) => m.parsed.subject),
    ['Good news: On the other campaign'],
    'the other campaign updates still come',
  )
})

t.test("a signer who unsubscribed from the tracker's alerts still gets the campaign's news", async (t) => {
  const env = await setup(t)
  const slug = await liveCampaign(env)
  await confirmedSigner(env, slug, 'alerts-off@example.org')
  await confirmedSigner(env, slug, 'complained@example.org')
  // A subscriber of the alerts too, who then unsubscribed from them (kept only while subscribed).
  await activeSubscriber(env, 'alerts-off@example.org')
  await suppress(env.db, env.config.secretKey, 'alerts-off@example.org', 'unsubscribed')
  await suppress(env.db, env.config.secretKey, 'complained@example.org', 'complained')
  const posted = await postUpdate(env, slug, update)
  t.match(await settled(env, posted.json.alert.id, posted.headers), { recipients: 2, sent: 1, suppressed: 1 })
  t.match(mailsTo(env, 'alerts-off@example.org').at(-1)!.parsed.subject, /^Good news: Released$/)
})
