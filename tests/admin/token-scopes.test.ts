// API tokens have a scope and may expire (issue 17). Every /api/v1 route the app registers is
// walked, so a new route that changes something is covered the moment it exists.
import { spawn } from 'node:child_process'
import t from 'tap'
import { systemActor } from '../../src/modules/audit/service.ts'
import { createApiToken } from '../../src/modules/organizers/service.ts'
import { liveCampaign, loginAs, organizerAuth, setup } from '../helper.ts'

const samples: Record<string, string> = { slug: 'no-such-campaign', id: '1' }
const fill = (url: string) => url.replace(/:(\w+)/g, (_, name: string) => samples[name] ?? 'x')
const READS = new Set(['GET', 'HEAD'])

t.test('a read token is refused every change, on every API route, and changes nothing', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  samples.slug = slug
  const read = await organizerAuth(env.db, 'reader@example.org', 'read')
  const write = await organizerAuth(env.db, 'writer@example.org', 'write')
  const changes = env.app.apiRoutes.filter((r) => !READS.has(r.method) && r.method !== 'OPTIONS')
  t.ok(changes.length >= 8, `${changes.length} API routes that change something`)

  const before = await env.db.selectFrom('audit_log').select('id').execute()
  const organizerRoutes: typeof changes = []
  for (const r of changes) {
    const url = fill(r.url)
    const method = r.method as 'POST' | 'PATCH' | 'DELETE' | 'PUT'
    const anonymous = await env.app.inject({ method, url, payload: {} })
    // A public route (signing, subscribing) takes no token: nothing to scope.
    if (anonymous.statusCode !== 401) continue
    organizerRoutes.push(r)
    const res = await env.app.inject({ method, url, payload: {}, headers: { authorization: read } })
    t.equal(res.statusCode, 403, `${r.method} ${r.url} with a read token`)
    t.match(res.json(), { error: 'forbidden', message: /may only read/ }, 'says why')
  }
  t.ok(organizerRoutes.length >= 6, `${organizerRoutes.length} organizer routes walked`)
  const after = await env.db.selectFrom('audit_log').select('id').execute()
  t.equal(after.length, before.length, 'the read token changed nothing')
  for (const r of organizerRoutes) {
    const method = r.method as 'POST' | 'PATCH' | 'DELETE' | 'PUT'
    const allowed = await env.app.inject({ method, url: fill(r.url), payload: {}, headers: { authorization: write } })
    t.not(allowed.statusCode, 403, `${r.method} ${r.url} with a write token is not refused for its scope`)
  }

  const reads = env.app.apiRoutes.filter((r) => r.method === 'GET' && r.url === '/api/v1/targets')
  t.equal(reads.length, 1)
  const listed = await env.app.inject({ url: '/api/v1/targets', headers: { authorization: read } })
  t.equal(listed.statusCode, 200, 'a read token reads')
})

t.test('an expired or revoked token is refused; the console makes scoped tokens with an expiry', async (t) => {
  const env = await setup(t, { workers: false })
  const { client, id } = await loginAs(env, 'organizer')
  const form = await client.get('/admin/tokens')
  t.match(form.body, /name="scope"/)
  t.match(form.body, /name="expires"/)

  const bad = await client.post('/admin/tokens', { scope: 'read', expires: '0' })
  t.equal(bad.statusCode, 400, 'a bad expiry is refused')
  t.match(bad.body, /whole number of days from 1 to 3650/, 'naming what is wrong')
  t.equal(
    await env.db
      .selectFrom('api_tokens')
      .select('id')
      .execute()
      .then((r) => r.length),
    0,
    'nothing written',
  )

  const made = await client.post('/admin/tokens', { scope: 'read', expires: '30' })
  t.equal(made.statusCode, 200)
  const token = /id="new-token"[^>]*value="(ua_[^"]+)"/.exec(made.body)?.[1]
  t.ok(token, 'the new token is shown once')
  const row = await env.db
    .selectFrom('api_tokens')
    .select(['id', 'scope', 'expires_at'])
    .where('organizer_id', '=', id)
    .executeTakeFirstOrThrow()
  t.equal(row.scope, 'read')
  const days = (row.expires_at!.getTime() - Date.now()) / 86_400_000
  t.ok(days > 29.9 && days <= 30, 'expires in 30 days')
  t.match(made.body, /read only/, 'the list shows its scope')
  const audit = await env.db
    .selectFrom('audit_log')
    .select('detail')
    .where('action', '=', 'token.create')
    .executeTakeFirstOrThrow()
  t.match(audit.detail, { scope: 'read' }, 'audited with its scope and expiry')

  const auth = { authorization: `Bearer ${token}` }
  t.equal((await env.app.inject({ url: '/api/v1/targets', headers: auth })).statusCode, 200)
  await env.db
    .updateTable('api_tokens')
    .set({ expires_at: new Date(Date.now() - 1000) })
    .where('id', '=', row.id)
    .execute()
  t.equal((await env.app.inject({ url: '/api/v1/targets', headers: auth })).statusCode, 401, 'expired: refused')
  t.match((await client.get('/admin/tokens')).body, /expired/, 'and shown as expired')

  const plain = await client.post('/admin/tokens', {})
  t.equal(plain.statusCode, 200, 'with no choice: a write token that does not expire')
  const plainToken = /id="new-token"[^>]*value="(ua_[^"]+)"/.exec(plain.body)![1]
  const newest = await env.db
    .selectFrom('api_tokens')
    .select(['id', 'scope', 'expires_at'])
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  t.match(newest, { scope: 'write', expires_at: null })
  const revoked = await client.post(`/admin/tokens/${newest.id}/revoke`, {})
  t.equal(revoked.statusCode, 303)
  const res = await env.app.inject({ url: '/api/v1/targets', headers: { authorization: `Bearer ${plainToken}` } })
  t.equal(res.statusCode, 401, 'revoked: refused')

  const badKo = await client.post('/admin/tokens?lang=ko', { scope: 'read', expires: 'soon' })
  t.equal(badKo.statusCode, 400)
  t.match(badKo.body, /1부터 3650까지의 정수 일수/, 'in the reader’s language')
})

t.test('the CLI makes read tokens with an expiry and refuses bad flags', async (t) => {
  const env = await setup(t, { workers: false })
  await organizerAuth(env.db, 'cli-org@example.org')
  const token = await createApiToken(env.db, systemActor('cli'), 'cli-org@example.org', {
    scope: 'read',
    expiresInDays: 7,
  })
  const change = await env.app.inject({
    method: 'POST',
    url: '/api/v1/targets',
    payload: {},
    headers: { authorization: `Bearer ${token}` },
  })
  t.equal(change.statusCode, 403)

  const run = (args: string[]) =>
    new Promise<{ code: number | null; err: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'token:create', ...args], {
        env: { ...process.env, DATABASE_URL: 'postgres://invalid.invalid/none' },
      })
      let err = ''
      child.stderr.on('data', (c: Buffer) => (err += c.toString()))
      child.on('close', (code) => resolve({ code, err }))
    })
  const scope = await run(['--email', 'a@example.org', '--scope', 'admin'])
  t.equal(scope.code, 2)
  t.match(scope.err, /--scope must be read or write/)
  const expires = await run(['--email', 'a@example.org', '--expires', '0'])
  t.equal(expires.code, 2)
  t.match(expires.err, /--expires must be a whole number of days/)
})
