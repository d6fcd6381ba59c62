// Confirming a signature with "alerts" ticked must not lift a suppression: the tick may be a
// squatter's (issue 19, finding 1), and the owner had asked us to stop, or her mail bounced.
import t from 'tap'
import * as subscribers from '../../src/modules/subscribers/repository.ts'
import { randomNonce } from '../../src/security.ts'
import { confirmPath, eventually, liveCampaign, setup } from '../helper.ts'

const email = 'minji.kim@example.org'

for (const [how, status, reason] of [
  ['unsubscribed', 'unsubscribed', 'unsubscribed'],
  ['complained', 'active', 'complained'],
  ['bounced', 'active', 'bounced'],
] as const) {
  t.test(`an address that ${how} is not subscribed again by a signature's alerts tick`, async (t) => {
    const env = await setup(t)
    const slug = await liveCampaign(env)
    await env.db.transaction().execute(async (trx) => {
      await subscribers.insertIfNew(trx, {
        email,
        emailKey: email,
        locale: 'en',
        frequency: 'daily',
        status,
        topicAll: true,
        nonce: randomNonce(),
        confirmExpiresAt: null,
      })
      await subscribers.suppress(trx, env.config.secretKey, email, reason)
    })
    await env.app.inject({
      method: 'POST',
      url: `/api/v1/campaigns/${slug}/signatures`,
      payload: { name: 'Someone', email, country: 'KR', alerts: true },
    })
    if (reason !== 'unsubscribed') {
      // A bounced or complained address gets no email at all, not even the confirmation
      // (tests/erasure/suppressed.test.ts): nothing can be confirmed.
      await eventually(async () => {
        const open = await env.db.selectFrom('outbox').select('id').where('done_at', 'is', null).execute()
        return open.length === 0
      })
      t.equal(env.smtp.messages.length, 0, 'no confirmation sent')
      const kept = await subscribers.suppressedAmong(env.db, env.config.secretKey, [email], [reason])
      t.same([...kept], [email], 'the suppression stays')
      return
    }
    const [mail] = await env.smtp.waitFor(1)
    const done = await env.app.inject({ method: 'POST', url: confirmPath(mail!) })
    t.match(done.body, /Thank you, your signature counts/, 'the signature itself is confirmed')
    t.match(done.body, /Alerts were not started/, 'and the page says the alerts were not')
    t.match(done.body, /Alerts were not started[^<]*<a href="\/alerts">/, 'with a way to ask for them')
    const row = await env.db
      .selectFrom('subscribers')
      .select(['status', 'topic_all', 'frequency'])
      .executeTakeFirstOrThrow()
    t.same(row, { status, topic_all: true, frequency: 'daily' }, 'the subscriber is as it was')
    const kept = await subscribers.suppressedAmong(env.db, env.config.secretKey, [email], [reason])
    t.same([...kept], [email], 'the suppression stays')
  })
}

t.test('an address with no suppression follows the campaign once confirmed, as before', async (t) => {
  const env = await setup(t)
  const slug = await liveCampaign(env)
  await env.app.inject({
    method: 'POST',
    url: `/api/v1/campaigns/${slug}/signatures`,
    payload: { name: 'Someone', email, country: 'KR', alerts: true },
  })
  const [mail] = await env.smtp.waitFor(1)
  const done = await env.app.inject({ method: 'POST', url: confirmPath(mail!) })
  t.notMatch(done.body, /Alerts were not started/)
  const row = await env.db.selectFrom('subscribers').select(['status']).executeTakeFirstOrThrow()
  t.equal(row.status, 'active')
})
