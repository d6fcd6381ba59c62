// Route by route: every /admin route the app registers is walked, so a new route is covered
// the moment it exists.
import t from 'tap'
import { ConsoleClient, loginAs, setup } from '../helper.ts'

const samples: Record<string, string> = { slug: 'no-such-campaign', token: 'x', id: '1', locale: 'ko' }
const fill = (url: string) => url.replace(/:(\w+)/g, (_, name: string) => samples[name] ?? 'x')

t.test('every console route: no session -> login, wrong role -> 403, POST without CSRF -> 403', async (t) => {
  const env = await setup(t, { workers: false })
  const routes = env.app.adminRoutes.filter((r) => r.method === 'GET' || r.method === 'POST')
  t.ok(routes.length >= 30, `${routes.length} console routes`)
  t.ok(routes.some((r) => r.url === '/admin/audit' && r.access === 'admin'))
  t.ok(routes.every((r) => r.url.startsWith('/admin')))

  const anonymous = new ConsoleClient(env)
  for (const r of routes.filter((r) => r.access !== 'public')) {
    const res = await anonymous.request(r.method as 'GET' | 'POST', fill(r.url), r.method === 'POST' ? {} : undefined)
    t.equal(res.statusCode, 303, `${r.method} ${r.url} without a session`)
    t.match(res.headers.location, /^\/admin\/login/)
  }

  const organizer = await loginAs(env, 'organizer')
  for (const r of routes.filter((r) => r.access === 'admin')) {
    const res = await organizer.client.request(
      r.method as 'GET' | 'POST',
      fill(r.url),
      r.method === 'POST' ? {} : undefined,
    )
    t.equal(res.statusCode, 403, `${r.method} ${r.url} as an organizer`)
  }

  const admin = await loginAs(env, 'admin')
  const auditBefore = await env.db.selectFrom('audit_log').select('id').execute()
  const organizersBefore = await env.db
    .selectFrom('organizers')
    .select(['id', 'disabled_at', 'password_hash'])
    .orderBy('id')
    .execute()
  for (const r of routes.filter((r) => r.method === 'POST')) {
    const res = await admin.client.post(fill(r.url), { email: 'x@example.org', name: 'X', role: 'admin' }, false)
    t.equal(res.statusCode, 403, `POST ${r.url} without a CSRF token`)
    const forged = await admin.client.request('POST', fill(r.url), { _csrf: 'forged.token' }, false)
    t.equal(forged.statusCode, 403, `POST ${r.url} with a forged CSRF token`)
  }
  t.same(await env.db.selectFrom('audit_log').select('id').execute(), auditBefore, 'nothing was recorded')
  t.same(
    await env.db.selectFrom('organizers').select(['id', 'disabled_at', 'password_hash']).orderBy('id').execute(),
    organizersBefore,
    'no account changed',
  )
  t.equal((await env.db.selectFrom('sessions').select('id').execute()).length, 2, 'no session ended')
})

t.test('an admin reaches admin pages; an organizer reaches the organizer pages', async (t) => {
  const env = await setup(t, { workers: false })
  const admin = await loginAs(env, 'admin')
  for (const url of [
    '/admin/organizers',
    '/admin/organizers/new',
    '/admin/audit',
    '/admin/campaigns',
    '/admin/tokens',
  ]) {
    t.equal((await admin.client.get(url)).statusCode, 200, `admin ${url}`)
  }
  const organizer = await loginAs(env, 'organizer')
  for (const url of ['/admin/campaigns', '/admin/campaigns/new', '/admin/tokens', '/admin/account']) {
    const res = await organizer.client.get(url)
    t.equal(res.statusCode, 200, `organizer ${url}`)
    t.equal(res.headers['cache-control'], 'no-store')
  }
  const page = await organizer.client.get('/admin/campaigns')
  t.notMatch(page.body, /href="\/admin\/audit"/, 'no admin links for an organizer')
})

t.test('console pages speak the reader language', async (t) => {
  const env = await setup(t, { workers: false })
  const ko = await env.app.inject({ url: '/admin/login?lang=ko' })
  t.match(ko.body, /로그인/)
  const zh = await env.app.inject({ url: '/admin/login?lang=zh' })
  t.match(zh.body, /登录/)
})
