// The preferences page has its own unsubscribe button (issue 18, point 9); afterwards the
// preferences link says the reader is unsubscribed, not that the link does not work.
import t from 'tap'
import { setup } from '../helper.ts'
import { activeSubscriber, linkIn, publish, settled } from './helpers.ts'

t.test('unsubscribing from the preferences page, in the reader’s language, and the link after it', async (t) => {
  const env = await setup(t)
  await activeSubscriber(env, 'stop@example.org')
  const { alertId, headers } = await publish(env)
  await settled(env, alertId, headers)
  const path = linkIn(env, 'stop@example.org', '/alerts/preferences/')
  const token = path.split('/').pop()!

  const page = await env.app.inject({ url: `${path}?lang=ko` })
  t.equal(page.statusCode, 200)
  t.match(page.body, '모든 알림 구독 해지', 'the button, in Korean')
  t.match(page.body, `action="/alerts/preferences/${token}/unsubscribe"`)

  const stopped = await env.app.inject({
    method: 'POST',
    url: `/alerts/preferences/${token}/unsubscribe`,
    headers: { 'accept-language': 'zh' },
  })
  t.equal(stopped.statusCode, 200)
  t.match(stopped.body, '你已退订')
  t.equal(stopped.headers['cache-control'], 'no-store')
  const s = await env.db.selectFrom('subscribers').select('status').executeTakeFirstOrThrow()
  t.equal(s.status, 'unsubscribed')
  const suppressed = await env.db.selectFrom('suppressions').select('reason').execute()
  t.same(
    suppressed.map((r) => r.reason),
    ['unsubscribed'],
    'the address is suppressed, as after a one-click unsubscribe',
  )

  const again = await env.app.inject({ url: `${path}?lang=en` })
  t.equal(again.statusCode, 200)
  t.match(again.body, 'You are unsubscribed', 'the link now says so')
  t.notMatch(again.body, 'This link does not work')
  const save = await env.app.inject({
    method: 'POST',
    url: `${path}?lang=en`,
    payload: 'frequency=daily&locale=en',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })
  t.match(save.body, 'You are unsubscribed', 'saving preferences after it says so too')

  const forged = await env.app.inject({ method: 'POST', url: '/alerts/preferences/forged/unsubscribe' })
  t.equal(forged.statusCode, 404)
  t.match(forged.body, 'This link does not work')
})
