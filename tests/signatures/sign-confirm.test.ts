import t from 'tap'
import { createComposer } from '../../src/present/mail.ts'
import { createMailer } from '../../src/mail/transport.ts'
import { deliverOutboxMessage } from '../../src/modules/messages/service.ts'
import { confirmPath, eventually, liveCampaign, setup, signer } from '../helper.ts'

t.test('sign -> email -> confirm page -> POST -> counted', async (t) => {
  const env = await setup(t)
  const slug = await liveCampaign(env)

  const res = await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: signer })
  t.equal(res.statusCode, 202)
  t.same(res.json(), { status: 'check-email' })

  const [mail] = await env.smtp.waitFor(1)
  t.same(
    mail!.envelopeTo.map((a) => a.toLowerCase()),
    ['minji.kim@example.org'],
  )
  t.match(mail!.parsed.subject, /Confirm your signature/)
  t.ok(mail!.parsed.text, 'has a plain-text part')
  t.ok(mail!.parsed.html, 'has an HTML part')
  t.match(mail!.parsed.messageId, /^<[\w-]{24}@ua\.test>$/, 'an opaque Message-ID (tests/mail/message-id.test.ts)')
  t.match(mail!.parsed.from?.text, /alerts@localhost/)
  const links = new Set([...(mail!.parsed.text ?? '').matchAll(/https?:\/\/\S+/g)].map((m) => m[0]))
  t.equal(links.size, 1, 'one link')
  t.ok([...links][0]!.startsWith('http://ua.test/confirm/'), 'the link goes to PUBLIC_URL')

  const path = confirmPath(mail!)
  const page = await env.app.inject({ method: 'GET', url: path })
  t.equal(page.statusCode, 200)
  t.match(page.body, /<form method="post"/)
  const pending = await env.db.selectFrom('signatures').select('status').executeTakeFirstOrThrow()
  t.equal(pending.status, 'pending', 'a GET on the confirm link changes nothing')

  const confirmed = await env.app.inject({ method: 'POST', url: path })
  t.equal(confirmed.statusCode, 200)
  t.match(confirmed.body, /Thank you, your signature counts/)
  const row = await env.db.selectFrom('signatures').select(['status', 'confirmed_at']).executeTakeFirstOrThrow()
  t.equal(row.status, 'confirmed')
  t.ok(row.confirmed_at)

  const count = await eventually(
    async () => {
      const c = await env.app.inject({ url: `/api/v1/campaigns/${slug}` })
      return c.json<{ signatureCount: number }>().signatureCount === 1
    },
    2000,
    'count of 1 within 2 s',
  )
  t.ok(count)

  const again = await env.app.inject({ method: 'POST', url: path })
  t.match(again.body, /already confirmed/, 'a used link gets a clear page')
  await new Promise((r) => setTimeout(r, 300))
  const c = await env.app.inject({ url: `/api/v1/campaigns/${slug}` })
  t.equal(c.json<{ signatureCount: number }>().signatureCount, 1, 'confirming twice counts once')
})

t.test('a repeat signature, in another case or with a +tag, counts once and answers the same', async (t) => {
  const env = await setup(t)
  const slug = await liveCampaign(env)
  const base = { name: 'Lee', country: 'KR' }
  const first = await env.app.inject({
    method: 'POST',
    url: `/api/v1/campaigns/${slug}/signatures`,
    payload: { ...base, email: 'ann.lee@gmail.com' },
  })
  const [mail] = await env.smtp.waitFor(1)
  await env.app.inject({ method: 'POST', url: confirmPath(mail!) })

  for (const email of ['  ANN.LEE@gmail.com ', 'annlee+petition@googlemail.com']) {
    const again = await env.app.inject({
      method: 'POST',
      url: `/api/v1/campaigns/${slug}/signatures`,
      payload: { ...base, email },
    })
    t.equal(again.statusCode, first.statusCode, `same status for ${email}`)
    t.equal(again.body, first.body, `same body for ${email}`)
  }
  const mails = await env.smtp.waitFor(3)
  t.match(mails[1]!.parsed.subject, /You already signed/)
  t.match(mails[2]!.parsed.subject, /You already signed/)
  t.notMatch(mails[1]!.parsed.text, /\/confirm\//, 'no second confirmation link')

  const rows = await env.db.selectFrom('signatures').select('id').execute()
  t.equal(rows.length, 1, 'one row')
  await eventually(async () => {
    const c = await env.app.inject({ url: `/api/v1/campaigns/${slug}` })
    return c.json<{ signatureCount: number }>().signatureCount === 1
  })
})

t.test('a repeat while still pending sends the confirmation link again', async (t) => {
  const env = await setup(t)
  const slug = await liveCampaign(env)
  for (let i = 0; i < 2; i++) {
    await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: signer })
  }
  const mails = await env.smtp.waitFor(2)
  t.equal(confirmPath(mails[0]!), confirmPath(mails[1]!), 'the same link, so either email works')
  t.equal((await env.db.selectFrom('signatures').select('id').execute()).length, 1)
})

t.test('unknown, forged and expired confirm links get a clear page and change nothing', async (t) => {
  const env = await setup(t)
  const slug = await liveCampaign(env)
  await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: signer })
  const [mail] = await env.smtp.waitFor(1)
  const path = confirmPath(mail!)
  const [nonce, mac] = path.slice('/confirm/'.length).split('.')
  const forged = `/confirm/${nonce}.${mac!.slice(0, -2)}AA`

  for (const url of ['/confirm/nonsense', forged, '/confirm/AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA']) {
    const res = await env.app.inject({ method: 'POST', url })
    t.equal(res.statusCode, 200, url)
    t.match(res.body, /This link does not work/, url)
  }
  await env.db
    .updateTable('signatures')
    .set({ confirm_expires_at: new Date(Date.now() - 1000) })
    .execute()
  const expired = await env.app.inject({ method: 'POST', url: path })
  t.match(expired.body, /This link does not work/, 'expired')
  const row = await env.db.selectFrom('signatures').select('status').executeTakeFirstOrThrow()
  t.equal(row.status, 'pending')
})

t.test('the page form signs, redirects to a thank-you page, and emails in the reader language', async (t) => {
  const env = await setup(t)
  const slug = await liveCampaign(env)
  const res = await env.app.inject({
    method: 'POST',
    url: `/campaigns/${slug}?lang=ko`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      name: '김민지',
      email: 'minji@example.org',
      country: 'KR',
      alerts: 'on',
    }).toString(),
  })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, `/campaigns/${slug}/thanks`)
  const thanks = await env.app.inject({ url: res.headers.location as string, headers: { cookie: 'lang=ko' } })
  t.match(thanks.body, /이메일을 확인하세요/)
  const [mail] = await env.smtp.waitFor(1)
  t.match(mail!.parsed.subject, /서명을 확인해 주세요/)
  const row = await env.db
    .selectFrom('signatures')
    .select(['name', 'wants_alerts', 'public_name', 'ip_hash'])
    .executeTakeFirstOrThrow()
  t.equal(row.name, '김민지')
  t.equal(row.wants_alerts, true)
  t.equal(row.public_name, false, 'the name is private unless ticked')
  t.equal(row.ip_hash?.length, 16, 'the IP is kept only as a keyed hash')
  t.notOk(row.ip_hash?.toString('latin1').includes('127.0.0.1'))
})

t.test('signing again after an invalidation gets the "already signed" email, not a dead link', async (t) => {
  const env = await setup(t)
  const slug = await liveCampaign(env)
  await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: signer })
  await env.smtp.waitFor(1)
  const campaign = await env.db.selectFrom('campaigns').select('id').executeTakeFirstOrThrow()
  const batch = await env.db
    .insertInto('invalidations')
    .values({ campaign_id: campaign.id, filter: JSON.stringify({ emailDomain: 'example.org' }), hit: 1 })
    .returning('id')
    .executeTakeFirstOrThrow()
  await env.db.updateTable('signatures').set({ status: 'invalidated', invalidation_id: batch.id }).execute()
  const again = await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: signer })
  t.equal(again.statusCode, 202)
  const mails = await env.smtp.waitFor(2)
  t.match(mails[1]!.parsed.subject, /You already signed/)
  t.equal((await env.db.selectFrom('signatures').select('status').executeTakeFirstOrThrow()).status, 'invalidated')
})

t.test('a repeat takes the same one write as a first signature; the mail worker decides it, once', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  const sign = () => env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: signer })
  const outboxRows = () =>
    env.db.selectFrom('outbox').select(['id', 'kind', 'payload', 'done_at']).orderBy('id').execute()
  const expiry = async () =>
    (
      await env.db.selectFrom('signatures').select('confirm_expires_at').executeTakeFirstOrThrow()
    ).confirm_expires_at.getTime()

  const first = await sign()
  const before = await expiry()
  const again = await sign()
  t.equal(again.body, first.body)
  const [confirm, repeat] = await outboxRows()
  t.equal(confirm!.kind, 'signature.confirm')
  t.equal(repeat!.kind, 'signature.repeat', 'the web request only notes the repeat')
  t.same(repeat!.payload, confirm!.payload, 'ids only: the same signature')

  const deps = {
    db: env.db,
    config: env.config,
    mailer: createMailer(env.config),
    compose: createComposer({ db: env.db, config: env.config }),
  }
  t.equal(await deliverOutboxMessage(deps, repeat!.id), 'sent')
  const decided = (await outboxRows())[1]!
  t.equal(decided.kind, 'signature.confirm', 'still pending: the link again')
  t.equal(await expiry(), before, 'valid no longer than the first request made it')
  // A job retried after the decision but before its send was marked (a worker killed) sends
  // what was decided, though the decision itself stamped the signature as just emailed.
  await env.db.updateTable('outbox').set({ done_at: null }).where('id', '=', repeat!.id).execute()
  t.equal(await deliverOutboxMessage(deps, repeat!.id), 'sent')
  const mails = await env.smtp.waitFor(2)
  t.equal(mails.length, 2)
  t.match(mails[0]!.parsed.subject, /Confirm/)
  t.equal(mails[0]!.parsed.subject, mails[1]!.parsed.subject)
  deps.mailer.close() // its pooled connection would hold the SMTP server's shutdown
})

t.test('within the cooldown a repeat is resolved to no email at all', async (t) => {
  const env = await setup(t, { workers: false, env: { EMAIL_COOLDOWN_SECONDS: '600' } })
  const slug = await liveCampaign(env)
  for (let i = 0; i < 2; i++) {
    await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: signer })
  }
  const repeat = await env.db
    .selectFrom('outbox')
    .select('id')
    .where('kind', '=', 'signature.repeat')
    .executeTakeFirstOrThrow()
  const deps = {
    db: env.db,
    config: env.config,
    mailer: createMailer(env.config),
    compose: createComposer({ db: env.db, config: env.config }),
  }
  t.equal(await deliverOutboxMessage(deps, repeat.id), 'nothing-to-send')
  t.equal(await deliverOutboxMessage(deps, repeat.id), 'already-sent', 'done: a retry does nothing')
  t.equal(env.smtp.messages.length, 0)
  deps.mailer.close()
})
