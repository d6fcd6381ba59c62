// POST/GET/DELETE /api/v1/webhooks (contract, "Operating it"): the secret answered once, bad input
// refused naming the field with nothing written, addresses that are not public refused unless
// WEBHOOK_ALLOW_PRIVATE, and a read token refused every change.
import { Webhook } from 'standardwebhooks'
import t from 'tap'
import { organizerAuth, setup } from '../helper.ts'

const PUBLIC = 'http://93.184.216.34/hooks/ua' // an IP literal: no DNS needed to tell it is public

t.test('registering answers 201 with a whsec_ secret that is never shown again', async (t) => {
  const env = await setup(t, { workers: false })
  const auth = await organizerAuth(env.db)
  const res = await env.app.inject({
    method: 'POST',
    url: '/api/v1/webhooks',
    headers: { authorization: auth },
    payload: { url: PUBLIC, events: ['report.published', 'alert.completed'] },
  })
  t.equal(res.statusCode, 201)
  const { id, secret } = res.json<{ id: string; secret: string }>()
  t.match(secret, /^whsec_[A-Za-z0-9+/]{32}$/)
  t.doesNotThrow(() => new Webhook(secret), 'the standardwebhooks package takes the secret')

  const list = await env.app.inject({ url: '/api/v1/webhooks', headers: { authorization: auth } })
  t.equal(list.statusCode, 200)
  t.same(
    list.json().webhooks.map((w: { id: string; events: string[]; enabled: boolean }) => [w.id, w.events, w.enabled]),
    [[id, ['report.published', 'alert.completed'], true]],
  )
  t.notMatch(list.body, secret.slice(6), 'the list never shows the secret')
  t.notMatch(list.body, /whsec_/)
  const audit = await env.db
    .selectFrom('audit_log')
    .select(['action', 'detail'])
    .where('object_type', '=', 'webhook')
    .execute()
  t.match(audit, [
    { action: 'webhook.create', detail: { host: '93.184.216.34', events: ['report.published', 'alert.completed'] } },
  ])
  t.notMatch(JSON.stringify(audit), secret.slice(6), 'nor the audit log')

  const deleted = await env.app.inject({
    method: 'DELETE',
    url: `/api/v1/webhooks/${id}`,
    headers: { authorization: auth },
  })
  t.equal(deleted.statusCode, 204)
  const again = await env.app.inject({
    method: 'DELETE',
    url: `/api/v1/webhooks/${id}`,
    headers: { authorization: auth },
  })
  t.equal(again.statusCode, 404)
  t.equal((await env.db.selectFrom('webhooks').select('id').execute()).length, 0)
})

t.test('bad input is refused naming the field, and nothing is written', async (t) => {
  const env = await setup(t, { workers: false })
  const auth = await organizerAuth(env.db)
  const post = (payload: unknown) =>
    env.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: { authorization: auth },
      payload: payload as object,
    })
  for (const url of [
    'not a url',
    'ftp://93.184.216.34/x',
    'javascript:alert(1)',
    'http://user:pw@93.184.216.34/',
    '',
  ]) {
    const res = await post({ url, events: ['report.published'] })
    t.equal(res.statusCode, 400, `url ${JSON.stringify(url)}`)
    t.ok(res.json().fields.url, 'names url')
  }
  const unknown = await post({ url: PUBLIC, events: ['report.published', 'signature.created'] })
  t.equal(unknown.statusCode, 400)
  t.ok(
    Object.keys(unknown.json().fields).some((f) => f.startsWith('events')),
    'an unknown event names events',
  )
  const empty = await post({ url: PUBLIC, events: [] })
  t.equal(empty.statusCode, 400)
  t.match(empty.json().fields, { events: /at least one event/ })
  const none = await post(undefined)
  t.equal(none.statusCode, 400)
  t.ok(none.json().fields.url && none.json().fields.events, 'no body: both named')
  t.equal((await env.db.selectFrom('webhooks').select('id').execute()).length, 0, 'nothing written')
  t.equal((await env.db.selectFrom('audit_log').select('id').execute()).length, 0)
})

const PRIVATE = [
  'http://127.0.0.1:8080/hook',
  'http://localhost/hook',
  'http://[::1]/hook',
  'http://169.254.169.254/latest/meta-data',
  'http://10.1.2.3/',
  'http://192.168.1.1/',
  'http://172.16.0.5/',
  'http://[fd00::1]/',
  'http://[fe80::1]/',
  'http://0.0.0.0/',
  'http://[::ffff:127.0.0.1]/',
]

t.test('a URL that resolves to loopback, private, link-local or metadata addresses is refused', async (t) => {
  const env = await setup(t, { workers: false })
  const auth = await organizerAuth(env.db)
  for (const url of PRIVATE) {
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: { authorization: auth },
      payload: { url, events: ['report.published'] },
    })
    t.equal(res.statusCode, 400, url)
    t.match(res.json(), { error: 'invalid_input', fields: { url: /this machine or a private network/ } })
  }
  const unknownHost = await env.app.inject({
    method: 'POST',
    url: '/api/v1/webhooks',
    headers: { authorization: auth },
    payload: { url: 'https://no-such-host.invalid/hook', events: ['report.published'] },
  })
  t.equal(unknownHost.statusCode, 400)
  t.match(unknownHost.json().fields, { url: /could not be found/ })
  t.equal((await env.db.selectFrom('webhooks').select('id').execute()).length, 0)
})

t.test('WEBHOOK_ALLOW_PRIVATE=true lets them through', async (t) => {
  const env = await setup(t, { workers: false, env: { WEBHOOK_ALLOW_PRIVATE: 'true' } })
  const auth = await organizerAuth(env.db)
  for (const url of ['http://localhost:3999/hook', 'http://127.0.0.1:8080/hook', 'http://10.1.2.3/']) {
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: { authorization: auth },
      payload: { url, events: ['campaign.launched'] },
    })
    t.equal(res.statusCode, 201, url)
  }
})

t.test('a read token reads webhooks and is refused every change', async (t) => {
  const env = await setup(t, { workers: false })
  const write = await organizerAuth(env.db)
  const read = await organizerAuth(env.db, 'reader@example.org', 'read')
  const created = await env.app.inject({
    method: 'POST',
    url: '/api/v1/webhooks',
    headers: { authorization: write },
    payload: { url: PUBLIC, events: ['campaign.update'] },
  })
  const { id } = created.json<{ id: string }>()
  const changes = [
    { method: 'POST' as const, url: '/api/v1/webhooks', payload: { url: PUBLIC, events: ['campaign.update'] } },
    { method: 'DELETE' as const, url: `/api/v1/webhooks/${id}` },
    { method: 'POST' as const, url: `/api/v1/webhooks/${id}/test` },
  ]
  for (const c of changes) {
    const res = await env.app.inject({ ...c, headers: { authorization: read } })
    t.equal(res.statusCode, 403, `${c.method} ${c.url}`)
  }
  t.equal((await env.db.selectFrom('webhooks').select('id').execute()).length, 1, 'nothing changed')
  t.equal((await env.db.selectFrom('webhook_deliveries').select('id').execute()).length, 0)
  const list = await env.app.inject({ url: '/api/v1/webhooks', headers: { authorization: read } })
  t.equal(list.statusCode, 200)
  const log = await env.app.inject({ url: `/api/v1/webhooks/${id}/deliveries`, headers: { authorization: read } })
  t.equal(log.statusCode, 200)
  t.same(log.json(), { pending: 0, attempts: [] })
  const anonymous = await env.app.inject({ url: '/api/v1/webhooks' })
  t.equal(anonymous.statusCode, 401)
})
