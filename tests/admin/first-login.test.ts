// A password someone else saw (printed by organizer:create) opens only the change-password
// screen until the account chooses its own.
import { sql } from 'kysely'
import t from 'tap'
import { migratorFor } from '../../src/db/migrate.ts'
import { ConsoleClient, campaignInput, createTestDb, setup, type TestEnv } from '../helper.ts'
import { systemActor } from '../../src/modules/audit/service.ts'
import { createApiToken, createOrganizer } from '../../src/modules/organizers/service.ts'
import { hashPassword } from '../../src/security.ts'

const samples: Record<string, string> = { slug: 'no-such-campaign', token: 'x', id: '1', locale: 'ko' }
const fill = (url: string) => url.replace(/:(\w+)/g, (_, name: string) => samples[name] ?? 'x')
// What a session that must still choose its password may reach, besides the public routes.
// The change screen, its language buttons (the account's own language: someone given a printed
// password may need the screen in another), and the way out.
const allowed = new Set([
  'GET /admin/account',
  'POST /admin/account/password',
  'POST /admin/account/language',
  'POST /admin/logout',
])

async function printedAccount(env: TestEnv, role: 'admin' | 'organizer' = 'organizer') {
  const email = `first-${role}@example.org`
  const { id, password } = await createOrganizer(env.db, systemActor('cli'), { email, name: 'First Login', role })
  const client = new ConsoleClient(env)
  const login = await client.login(email, password)
  return { id, email, password, client, login }
}

t.test("organizer:create's password logs in once, and only to the change-password screen", async (t) => {
  const env = await setup(t, { workers: false })
  const { email, client, login } = await printedAccount(env, 'admin')
  t.equal(login.statusCode, 303)
  t.equal(login.headers.location, '/admin/account', 'the login leads to the change screen')

  const screen = await client.get('/admin/account')
  t.equal(screen.statusCode, 200)
  t.equal(screen.headers['cache-control'], 'no-store')
  t.match(screen.body, /Choose your own password to go on/)
  t.match(screen.body, /action="\/admin\/account\/password"/)
  t.match(
    screen.body,
    /<form method="post" action="\/admin\/account\/password"[^]*?name="_csrf" value="[^"]+"/,
    'the form carries a CSRF token',
  )
  t.notMatch(screen.body, /class="admin-nav"/, 'no console navigation yet')
  t.match(screen.body, /action="\/admin\/logout"/, 'but a way out')

  const routes = env.app.adminRoutes.filter((r) => (r.method === 'GET' || r.method === 'POST') && r.access !== 'public')
  for (const r of routes.filter((r) => !allowed.has(`${r.method} ${r.url}`))) {
    const res = await client.request(r.method as 'GET' | 'POST', fill(r.url), r.method === 'POST' ? {} : undefined)
    t.equal(res.statusCode, 303, `${r.method} ${r.url} redirects`)
    t.equal(res.headers.location, '/admin/account', `${r.method} ${r.url} leads to the change screen`)
  }
  await client.get('/admin/account')
  t.equal((await client.post('/admin/tokens')).headers.location, '/admin/account', 'a valid form is refused as well')
  t.equal((await env.db.selectFrom('api_tokens').select('id').execute()).length, 0, 'no token was made')

  // token:create is an operator's command, not a console login: it works whatever the flag.
  const auth = `Bearer ${await createApiToken(env.db, systemActor('cli'), email)}`
  const api = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers: { authorization: auth },
    payload: campaignInput,
  })
  t.equal(api.statusCode, 201, 'the API token works')

  t.equal((await client.post('/admin/logout')).headers.location, '/admin/login', 'logout still works')
  t.equal((await env.db.selectFrom('sessions').select('id').execute()).length, 0, 'and ends the session')
})

t.test('once the account chooses its own password the console opens and the printed one stops working', async (t) => {
  const env = await setup(t, { workers: false })
  const { id, email, password, client } = await printedAccount(env)
  await client.get('/admin/account')
  const common = await client.post('/admin/account/password', {
    current: password,
    password: 'password1',
    confirmation: 'password1',
  })
  t.equal(common.statusCode, 400, 'the usual rules apply')
  t.match(common.body, /too common/)
  t.match(common.body, /Choose your own password to go on/, 'the form comes back in its first-login shape')
  t.notMatch(common.body, /password1/, 'nothing typed is written back')
  t.notMatch(common.body, new RegExp(password), 'least of all the printed password')
  const short = await client.post('/admin/account/password', {
    current: password,
    password: 'Kp9!x',
    confirmation: 'Kp9!x',
  })
  t.match(short.body, /at least 8 characters/)
  const same = await client.post('/admin/account/password', { current: password, password, confirmation: password })
  t.equal(same.statusCode, 400, 'the printed password cannot be kept')
  t.match(same.body, /id="f-password-error"/)
  t.equal((await client.get('/admin/campaigns')).headers.location, '/admin/account', 'still only the change screen')

  const done = await client.post('/admin/account/password', {
    current: password,
    password: 'my own long phrase',
    confirmation: 'my own long phrase',
  })
  t.equal(done.statusCode, 303)
  t.equal(done.headers.location, '/admin/account?changed')
  t.equal((await client.get('/admin/campaigns')).statusCode, 200, 'the console opens in the same session')
  t.match((await client.get('/admin/account')).body, /class="admin-nav"/, 'with its navigation')

  t.equal(
    (await new ConsoleClient(env).login(email, password)).statusCode,
    401,
    'the printed password no longer logs in',
  )
  const again = await new ConsoleClient(env).login(email, 'my own long phrase')
  t.equal(again.statusCode, 303)
  t.equal(again.headers.location, '/admin', 'the new one logs in straight to the console')
  const actions = (
    await env.db.selectFrom('audit_log').select('action').where('actor_id', '=', id).orderBy('id').execute()
  ).map((r) => r.action)
  t.ok(actions.includes('account.password'), 'the change is audited')
})

t.test('an existing account (before the flag existed) logs in straight to the console', async (t) => {
  const env = await setup(t, { workers: false })
  // As a row written before the migration: no value for the new column, so its default.
  await env.db
    .insertInto('organizers')
    .values({
      email: 'old@example.org',
      name: 'Old Hand',
      role: 'organizer',
      password_hash: await hashPassword('an old good phrase'),
    })
    .execute()
  const client = new ConsoleClient(env)
  const login = await client.login('old@example.org', 'an old good phrase')
  t.equal(login.statusCode, 303)
  t.equal(login.headers.location, '/admin')
  t.equal((await client.get('/admin/campaigns')).statusCode, 200)
  t.notMatch((await client.get('/admin/account')).body, /Choose your own password/)
})

t.test('when the flag arrives, only accounts still on a printed password must replace it', async (t) => {
  const { db } = await createTestDb(t)
  const migrator = migratorFor(db)
  // Back to just before the flag, with three accounts as they were then.
  const back = await migrator.migrateTo('20261128070000_erasure_requests')
  t.error(back.error)
  const hash = await hashPassword('some good phrase')
  await sql`insert into organizers (email, name, role, password_hash, password_changed_at) values
    ('printed@example.org', 'Printed', 'organizer', ${hash}, null),
    ('chosen@example.org', 'Chosen', 'organizer', ${hash}, now()),
    ('invited@example.org', 'Invited', 'organizer', null, null)`.execute(db)
  t.error((await migrator.migrateToLatest()).error)
  const rows = await db.selectFrom('organizers').select(['email', 'password_must_change']).orderBy('email').execute()
  t.same(rows, [
    { email: 'chosen@example.org', password_must_change: false },
    { email: 'invited@example.org', password_must_change: false },
    { email: 'printed@example.org', password_must_change: true },
  ])
})
