import t from 'tap'
import { campaignInput, eventually, organizerAuth, setup, type TestEnv } from './helper.ts'
import { activeSubscriber, jilinReport, mailsTo, publish } from './alerts/helpers.ts'

// Two apps with their workers on two databases in one process, as the tests run them: each
// database has an alert with id 1 and a campaign with the same slug, and each instance must
// show its own.
async function campaignTitled(env: TestEnv, slug: string, title: string) {
  const headers = { authorization: await organizerAuth(env.db) }
  const created = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers,
    payload: { ...campaignInput, slug, title },
  })
  if (created.statusCode !== 201) throw new Error(`create failed: ${created.body}`)
  await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/launch`, headers })
}

t.test('two instances on two databases render their own alert emails and campaign pages', async (t) => {
  const [a, b] = [await setup(t), await setup(t)]
  const slug = 'same-slug-in-both'
  await campaignTitled(a, slug, 'Campaign of instance A')
  await campaignTitled(b, slug, 'Campaign of instance B')
  const pageA = await a.app.inject({ url: `/campaigns/${slug}` })
  const pageB = await b.app.inject({ url: `/campaigns/${slug}` })
  t.match(pageA.body, 'Campaign of instance A')
  t.match(pageB.body, 'Campaign of instance B')
  t.notMatch(pageB.body, 'Campaign of instance A')

  await activeSubscriber(a, 'reader@example.org')
  await activeSubscriber(b, 'reader@example.org')
  const alertA = await publish(a, { ...jilinReport, place: { ...jilinReport.place, name: 'Place of A' } })
  const alertB = await publish(b, { ...jilinReport, place: { ...jilinReport.place, name: 'Place of B' } })
  t.equal(alertA.alertId, alertB.alertId, 'both alerts have the same id')
  const alertTo = (env: TestEnv) => async () => mailsTo(env, 'reader@example.org')[1]
  const mailA = await eventually(alertTo(a), 20_000, 'the alert of A')
  const mailB = await eventually(alertTo(b), 20_000, 'the alert of B')
  t.match(mailA.parsed.text, 'Place of A')
  t.match(mailB.parsed.text, 'Place of B')
  t.notMatch(mailB.parsed.text, 'Place of A')
})
