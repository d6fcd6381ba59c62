import t from 'tap'
import { systemActor } from '../../src/modules/audit/service.ts'
import { ConsoleClient, campaignInput, loginAs, setup } from '../helper.ts'

const inviteLink = (text: string) => /https?:\/\/[^/\s]+(\/admin\/invite\/[A-Za-z0-9_.-]+)/.exec(text)?.[1]

t.test('an admin invites an organizer; the emailed link sets a password once', async (t) => {
  const env = await setup(t)
  const admin = await loginAs(env, 'admin')
  await admin.client.get('/admin/organizers/new')
  const bad = await admin.client.post('/admin/organizers', {
    email: 'not-an-address',
    name: 'Ha "Na"',
    role: 'organizer',
  })
  t.equal(bad.statusCode, 400)
  t.match(bad.body, /id="f-email-error">Enter a valid email address/)
  t.match(bad.body, /value="Ha &quot;Na&quot;"/, 'what was typed is kept')
  const res = await admin.client.post('/admin/organizers', {
    email: 'Hana@Example.org',
    name: 'Hana',
    role: 'organizer',
  })
  t.equal(res.statusCode, 303)
  const [mail] = await env.smtp.waitFor(1)
  t.same(mail!.envelopeTo, ['hana@example.org'])
  t.match(mail!.parsed.subject, /organizer account/)
  const link = inviteLink(mail!.parsed.text ?? '')!
  t.ok(link, 'the email carries the link')
  const outbox = await env.db.selectFrom('outbox').select(['kind', 'payload']).executeTakeFirstOrThrow()
  t.equal(outbox.kind, 'organizer.invite')
  t.same(Object.keys(outbox.payload), ['invitationId'], 'the job carries an id only')

  const again = await admin.client.post('/admin/organizers', {
    email: 'hana@example.org',
    name: 'Hana',
    role: 'organizer',
  })
  t.equal(again.statusCode, 409)
  t.match(again.body, /exists already/)

  const invitee = new ConsoleClient(env)
  t.equal((await invitee.get(link)).statusCode, 200)
  const weak = await invitee.post(link, { password: 'password1', confirmation: 'password1' })
  t.equal(weak.statusCode, 400)
  t.match(weak.body, /too common/)
  const short = await invitee.post(link, { password: 'Kp9!x', confirmation: 'Kp9!x' })
  t.match(short.body, /at least 8 characters/)
  const mismatch = await invitee.post(link, { password: 'a long enough phrase', confirmation: 'a long enough phrasE' })
  t.match(mismatch.body, /id="f-confirmation-error"/)
  const long = '오늘도 탈북민을 위해 서명해 주셔서 감사합니다 '.repeat(3) + 'x'.repeat(40)
  t.ok([...long].length >= 64)
  const done = await invitee.post(link, { password: long, confirmation: long })
  t.equal(done.statusCode, 303, 'a long passphrase without composition rules is accepted')
  t.equal((await invitee.get(link)).statusCode, 404, 'the link works once')
  t.equal(
    (await invitee.post(link, { password: 'another fine phrase', confirmation: 'another fine phrase' })).statusCode,
    404,
  )
  const login = await invitee.login('hana@example.org', long)
  t.equal(login.statusCode, 303)

  const row = await env.db
    .selectFrom('organizers')
    .select('password_hash')
    .where('email', '=', 'hana@example.org')
    .executeTakeFirstOrThrow()
  const m = /^scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([^$]+)\$([^$]+)$/.exec(row.password_hash!)!
  t.ok(m, 'the hash records its parameters')
  t.ok(Number(m[1]) >= 2 ** 17, `N=${m[1]}`)
  t.ok(Number(m[2]) >= 8, `r=${m[2]}`)
  t.ok(Number(m[3]) >= 1, `p=${m[3]}`)
  t.ok(Buffer.from(m[4]!, 'base64').length >= 16, 'a 128-bit salt')
  const actions = (await env.db.selectFrom('audit_log').select('action').execute()).map((r) => r.action)
  t.ok(actions.includes('organizer.invite'))
  t.ok(actions.includes('organizer.activate'))
})

t.test('an expired invitation does not work', async (t) => {
  const env = await setup(t)
  const admin = await loginAs(env, 'admin')
  await admin.client.post('/admin/organizers', { email: 'late@example.org', name: 'Late', role: 'organizer' })
  const [mail] = await env.smtp.waitFor(1)
  await env.db
    .updateTable('invitations')
    .set({ expires_at: new Date(Date.now() - 1000) })
    .execute()
  const res = await env.app.inject({ url: inviteLink(mail!.parsed.text ?? '')! })
  t.equal(res.statusCode, 404)
  t.match(res.body, /This link does not work/)
})

t.test('changing the password needs the current one and ends the other sessions', async (t) => {
  const env = await setup(t, { workers: false })
  const me = await loginAs(env, 'organizer')
  const other = new ConsoleClient(env)
  await other.login(me.email, me.password)
  const wrong = await me.client.post('/admin/account/password', {
    current: 'nope',
    password: 'a brand new phrase',
    confirmation: 'a brand new phrase',
  })
  t.equal(wrong.statusCode, 400)
  t.match(wrong.body, /id="f-current-error"/)
  t.notMatch(wrong.body, /a brand new phrase/, 'passwords are never written back')
  const ok = await me.client.post('/admin/account/password', {
    current: me.password,
    password: 'a brand new phrase',
    confirmation: 'a brand new phrase',
  })
  t.equal(ok.statusCode, 303)
  t.equal((await me.client.get('/admin/account')).statusCode, 200, 'this session goes on')
  t.equal((await other.get('/admin/account')).statusCode, 303, 'the other session ended')
  t.equal((await new ConsoleClient(env).login(me.email, 'a brand new phrase')).statusCode, 303)
})

t.test('disabling an account stops its session and its API token at once', async (t) => {
  const env = await setup(t, { workers: false })
  const admin = await loginAs(env, 'admin')
  const target = await loginAs(env, 'organizer')
  const auth = await organizerAuthFor(env, target.email)
  t.equal((await target.client.get('/admin/campaigns')).statusCode, 200)
  await admin.client.get('/admin/organizers')
  t.equal((await admin.client.post(`/admin/organizers/${target.id}/disable`, { confirm: '1' })).statusCode, 303)
  t.equal((await target.client.get('/admin/campaigns')).statusCode, 303, 'the session stops')
  const api = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers: { authorization: auth },
    payload: campaignInput,
  })
  t.equal(api.statusCode, 401, 'the token stops')
  t.equal((await new ConsoleClient(env).login(target.email, target.password)).statusCode, 401, 'no new login')
  t.equal((await admin.client.post(`/admin/organizers/${admin.id}/disable`)).statusCode, 409, 'not one’s own account')
  await admin.client.post(`/admin/organizers/${target.id}/enable`)
  const revived = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers: { authorization: auth },
    payload: campaignInput,
  })
  t.equal(revived.statusCode, 401, 'tokens stay revoked after re-enabling')
})

t.test('API tokens: created once in view, listed with last use, revoked', async (t) => {
  const env = await setup(t, { workers: false })
  const me = await loginAs(env, 'organizer')
  await me.client.get('/admin/tokens')
  const created = await me.client.post('/admin/tokens')
  const token = /id="new-token" type="text" readonly value="(ua_[\w-]+)"/.exec(created.body)?.[1]
  t.ok(token, 'shown once')
  t.notMatch((await me.client.get('/admin/tokens')).body, new RegExp(token!), 'not shown again')
  const use = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers: { authorization: `Bearer ${token}` },
    payload: campaignInput,
  })
  t.equal(use.statusCode, 201)
  const list = await me.client.get('/admin/tokens')
  t.notMatch(list.body, />never</, 'the last use is shown')
  const id = (await env.db.selectFrom('api_tokens').select('id').executeTakeFirstOrThrow()).id
  t.equal((await me.client.post(`/admin/tokens/${id}/revoke`)).statusCode, 303)
  const after = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers: { authorization: `Bearer ${token}` },
    payload: { ...campaignInput, slug: 'other-one' },
  })
  t.equal(after.statusCode, 401)
  const other = await loginAs(env, 'organizer')
  await other.client.get('/admin/tokens')
  t.equal((await other.client.post(`/admin/tokens/${id}/revoke`)).statusCode, 404, "not someone else's token")
})

async function organizerAuthFor(env: Awaited<ReturnType<typeof setup>>, email: string) {
  const { createApiToken } = await import('../../src/modules/organizers/service.ts')
  return `Bearer ${await createApiToken(env.db, systemActor('cli'), email)}`
}
