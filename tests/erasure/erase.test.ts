// The erasure journey: the form, the emailed link, a GET that changes nothing, the POST that
// erases an address's signatures on every campaign and its subscriber, and the count after.
import t from 'tap'
import { jilinReport, publish } from '../alerts/helpers.ts'
import { liveCampaign, setup } from '../helper.ts'
import { countReaches, erasePath, mailsTo, nthMailTo, requestErasure, sign, signatureCount } from './helpers.ts'

const ann = { name: 'Ann Lee', email: 'Ann.Lee@gmail.com', country: 'KR' }
const other = { name: 'Park Ji-ho', email: 'jiho.park@example.org', country: 'KR' }

t.test('request -> email -> GET changes nothing -> POST erases signatures and subscriber', async (t) => {
  const env = await setup(t)
  const first = await liveCampaign(env)
  const second = await liveCampaign(env)
  // Confirmed on the first campaign, with alerts (so a subscriber too); pending on the second,
  // under another spelling of the same mailbox. Someone else signs the first campaign as well.
  await sign(env, first, { ...ann, alerts: true })
  await sign(env, second, { ...ann, email: 'annlee+petition@googlemail.com' }, { confirm: false })
  await sign(env, first, other)
  await countReaches(env, first, 2)

  // An alert was delivered to Ann, and another is still waiting for her.
  const { reportId } = await publish(env, { ...jilinReport, campaign: first })
  await nthMailTo(env, ann.email, 2)
  const subscriber = await env.db
    .selectFrom('subscribers')
    .select('id')
    .where('email_key', '=', 'annlee@gmail.com')
    .executeTakeFirstOrThrow()
  const waiting = await env.db
    .insertInto('alerts')
    .values({ report_id: reportId, kind: 'retraction', status: 'paused' })
    .returning('id')
    .executeTakeFirstOrThrow()
  await env.db.insertInto('deliveries').values({ alert_id: waiting.id, subscriber_id: subscriber.id }).execute()
  await env.db.insertInto('suppressions').values({ email_key: 'annlee@gmail.com', reason: 'unsubscribed' }).execute()

  // Asked under yet another spelling: matched after the same normalisation as signing.
  const asked = await requestErasure(env, '  ANN.LEE+erase@GoogleMail.com ')
  t.equal(asked.statusCode, 200)
  t.match(asked.body, /If we hold anything for this address, we have sent a link to it/)

  const mail = await nthMailTo(env, ann.email, 3)
  t.match(mail.parsed.subject, /Erase your data/)
  t.ok(mail.parsed.text, 'a plain-text part')
  t.ok(mail.parsed.html, 'an HTML part')
  t.match(mail.parsed.messageId, /^<[\w-]{24}@ua\.test>$/, 'an opaque Message-ID')
  t.match(mail.parsed.from?.text, /alerts@localhost/)
  const links = new Set([...(mail.parsed.text ?? '').matchAll(/https?:\/\/\S+/g)].map((m) => m[0]))
  t.equal(links.size, 1, 'one link')
  t.ok([...links][0]!.startsWith('http://ua.test/privacy/erase/'), 'to PUBLIC_URL')
  t.equal(mailsTo(env, 'annlee+erase@googlemail.com').length, 0, 'sent to the address we hold, not the one typed')

  const path = erasePath(mail)
  const page = await env.app.inject({ method: 'GET', url: path })
  t.equal(page.statusCode, 200)
  t.equal(page.headers['cache-control'], 'no-store')
  t.match(page.body, /signatures on every petition/)
  t.equal([...page.body.matchAll(/<form method="post"/g)].length, 1, 'one form')
  const held = () =>
    env.db.selectFrom('signatures').select(['status']).where('email_key', '=', 'annlee@gmail.com').execute()
  t.equal((await held()).length, 2, 'a GET erases nothing')
  t.ok(
    await env.db.selectFrom('subscribers').select('id').where('id', '=', subscriber.id).executeTakeFirst(),
    'the subscriber is still there',
  )

  const erased = await env.app.inject({ method: 'POST', url: path })
  t.equal(erased.statusCode, 200)
  t.match(erased.body, /Your data is erased/)
  t.same(await held(), [], 'both signatures are gone, pending and confirmed')
  const left = await env.db.selectFrom('signatures').select('email_key').execute()
  t.same(left, [{ email_key: 'jiho.park@example.org' }], 'the other signer stays')
  t.notOk(
    await env.db.selectFrom('subscribers').select('id').where('id', '=', subscriber.id).executeTakeFirst(),
    'the subscriber is gone',
  )
  for (const table of ['subscriber_campaigns', 'subscriber_provinces', 'deliveries', 'digests'] as const) {
    const rows = await env.db
      .selectFrom(table)
      .select('subscriber_id')
      .where('subscriber_id', '=', subscriber.id)
      .execute()
    t.equal(rows.length, 0, `no ${table} rows`)
  }
  t.notOk(
    await env.db.selectFrom('suppressions').select('reason').executeTakeFirst(),
    'an unsubscribe is forgotten with the subscriber',
  )
  const request = await env.db.selectFrom('erasure_requests').select(['email_key', 'used_at']).executeTakeFirstOrThrow()
  t.equal(request.email_key, null, 'the request forgets the address')
  t.ok(request.used_at)

  await countReaches(env, first, 1)
  t.equal(await signatureCount(env, second), 0, 'a pending signature never counted, and still does not')

  const again = await env.app.inject({ method: 'POST', url: path })
  t.equal(again.statusCode, 409)
  t.match(again.body, /This link was already used/)
  const reread = await env.app.inject({ method: 'GET', url: path })
  t.equal(reread.statusCode, 200)
  t.match(reread.body, /This link was already used/)
  await new Promise((r) => setTimeout(r, 300))
  t.equal(await signatureCount(env, first), 1, 'erasing twice takes the signature off once')
})

t.test('the link comes in the language the address used, and opens in any', async (t) => {
  const env = await setup(t)
  const slug = await liveCampaign(env)
  await sign(env, slug, { ...other, email: 'kim@example.org' }, { headers: { 'accept-language': 'ko' } })
  await requestErasure(env, 'kim@example.org')
  const mail = await nthMailTo(env, 'kim@example.org', 2)
  t.equal(mail.parsed.subject, '내 정보 삭제하기')
  t.match(mail.parsed.text, /버튼을 눌러 삭제하세요/)
  const page = await env.app.inject({ method: 'GET', url: `${erasePath(mail)}?lang=zh` })
  t.match(page.body, /删除我的数据/)
})
