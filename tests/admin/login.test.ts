import t from 'tap'
import { ConsoleClient, loginAs, setup } from '../helper.ts'
import { systemActor } from '../../src/modules/audit/service.ts'
import { createOrganizer } from '../../src/modules/organizers/service.ts'

const sessionCookie = (c: ConsoleClient) => c.cookies.get('ua_session')
// Responses differ only by the random CSRF token in the form.
const normalise = (body: string) => body.replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value=""')

t.test('login gives a new session id; logout ends it on the server', async (t) => {
  const env = await setup(t, { workers: false })
  const { client, email, password } = await loginAs(env, 'organizer')
  const first = sessionCookie(client)!
  t.ok(first)
  const res = await client.login(email, password)
  t.equal(res.statusCode, 303)
  const setCookie = [res.headers['set-cookie']]
    .flat()
    .find((c) => c!.startsWith('ua_session=') && !c!.startsWith('ua_session=;'))!
  t.match(setCookie, /HttpOnly/)
  t.match(setCookie, /SameSite=Lax/)
  t.notMatch(setCookie, /Secure/, 'not Secure over http')
  const second = sessionCookie(client)!
  t.not(second, first, 'the session id changes at login')
  const stale = new ConsoleClient(env)
  stale.cookies.set('ua_session', first)
  t.equal((await stale.get('/admin/campaigns')).statusCode, 303, 'the old session no longer works')
  const rows = await env.db.selectFrom('sessions').select('id_hash').execute()
  t.equal(rows.length, 1)
  t.equal(rows[0]!.id_hash.length, 32, 'only a SHA-256 is stored')
  t.notOk(rows[0]!.id_hash.toString('latin1').includes(second))

  await client.get('/admin/campaigns')
  t.equal((await client.post('/admin/logout')).statusCode, 303)
  t.equal((await env.db.selectFrom('sessions').select('id').execute()).length, 0, 'logout deletes the row')
  const replay = new ConsoleClient(env)
  replay.cookies.set('ua_session', second)
  t.equal((await replay.get('/admin/campaigns')).statusCode, 303, 'a copied cookie is useless after logout')
})

t.test('the page that refuses a forged form still lets the organizer log out', async (t) => {
  const env = await setup(t, { workers: false })
  const { client } = await loginAs(env, 'organizer')
  const refused = await client.request('POST', '/admin/account/password', { _csrf: 'forged.token' }, false)
  t.equal(refused.statusCode, 403)
  const token = /action="\/admin\/logout"[^]*?name="_csrf" value="([^"]*)"/.exec(refused.body)?.[1]
  t.ok(token && token !== 'undefined', `the logout form carries a token: ${token}`)
  t.equal(client.csrf, token)
  t.equal((await client.post('/admin/logout')).statusCode, 303, 'and it is accepted')
  t.equal((await env.db.selectFrom('sessions').select('id').execute()).length, 0)
})

t.test('with an https PUBLIC_URL the cookie is __Host- prefixed and Secure', async (t) => {
  const env = await setup(t, { workers: false, env: { PUBLIC_URL: 'https://ua.test' } })
  const { client } = await loginAs(env, 'organizer')
  t.ok(client.cookies.get('__Host-ua_session'))
  t.ok(client.cookies.get('__Host-ua_csrf'))
  const res = await env.app.inject({ url: '/admin/login' })
  t.match(String(res.headers['set-cookie']), /__Host-ua_csrf=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Strict/)
})

t.test('idle and absolute limits end a session', async (t) => {
  const env = await setup(t, { workers: false, env: { SESSION_IDLE_MINUTES: '5', SESSION_MAX_HOURS: '1' } })
  const { client } = await loginAs(env, 'organizer')
  t.equal((await client.get('/admin/campaigns')).statusCode, 200)
  await env.db
    .updateTable('sessions')
    .set({ last_seen_at: new Date(Date.now() - 6 * 60_000) })
    .execute()
  t.equal((await client.get('/admin/campaigns')).statusCode, 303, 'idle too long')
  const again = await loginAs(env, 'organizer')
  await env.db
    .updateTable('sessions')
    .set({ expires_at: new Date(Date.now() - 1000) })
    .execute()
  t.equal((await again.client.get('/admin/campaigns')).statusCode, 303, 'past the absolute lifetime')
  const row = await env.db.selectFrom('sessions').select(['created_at', 'expires_at']).executeTakeFirstOrThrow()
  t.ok(row.expires_at.getTime() - row.created_at.getTime() <= 3_600_000 + 5000, 'absolute lifetime from config')
})

t.test('login answers are identical for unknown and known addresses', async (t) => {
  const env = await setup(t, { workers: false })
  await createOrganizer(env.db, systemActor('cli'), { email: 'known@example.org', name: 'K', role: 'organizer' })
  const client = new ConsoleClient(env)
  await client.get('/admin/login')
  const known = await client.post('/admin/login', { email: 'known@example.org', password: 'wrong password here' })
  const unknown = await client.post('/admin/login', { email: 'nobody@example.org', password: 'wrong password here' })
  t.equal(known.statusCode, 401)
  t.equal(unknown.statusCode, 401)
  t.equal(normalise(unknown.body).replace('nobody@', 'known@'), normalise(known.body), 'same page')
  t.same(Object.keys(unknown.headers).sort(), Object.keys(known.headers).sort(), 'same headers')
  t.match(known.body, /The address or the password is wrong/)
  t.match(known.body, /value="known@example.org"/, 'the typed address is kept')
})

t.test('repeated failures lock the address on that network, known or not, even for the right password', async (t) => {
  const env = await setup(t, { workers: false, env: { LOGIN_DELAY_MS: '0' } })
  const { password } = await createOrganizer(env.db, systemActor('cli'), {
    email: 'target@example.org',
    name: 'T',
    role: 'organizer',
  })
  const client = new ConsoleClient(env)
  await client.get('/admin/login')
  for (let i = 0; i < env.config.login.failsPerNetwork; i++) {
    for (const email of ['target@example.org', 'ghost@example.org']) {
      t.equal((await client.post('/admin/login', { email, password: 'nope-nope' })).statusCode, 401)
    }
  }
  const locked = await client.post('/admin/login', { email: 'target@example.org', password })
  t.equal(locked.statusCode, 429, 'locked even with the right password')
  t.match(locked.body, /Too many failed attempts/)
  const ghost = await client.post('/admin/login', { email: 'ghost@example.org', password })
  t.equal(ghost.statusCode, 429, 'an unknown address locks the same way')
  const keys = await env.app.redis.keys(`${env.config.queuePrefix}:login:*`)
  t.ok(keys.length >= 3)
  t.notOk(
    keys.some((k) => k.includes('127.0.0.1') || k.includes('target')),
    'no address or IP in clear',
  )
  t.equal((await env.db.selectFrom('sessions').select('id').execute()).length, 0)
})
