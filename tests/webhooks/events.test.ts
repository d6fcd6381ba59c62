// Each event a webhook may subscribe to is delivered once, signed, with ids and counts and never
// an address or a name: a campaign launched, a report published and its alert completed, a
// milestone reached, an update posted (and its alert completed).
import t from 'tap'
import { activeSubscriber, publish } from '../alerts/helpers.ts'
import { campaignInput, eventually, organizerAuth, setup, sleep, uniqueName } from '../helper.ts'
import { confirmedSigner, postUpdate } from '../updates/helpers.ts'
import { register, startReceiver, type Received } from './receiver.ts'

const EVENTS = ['report.published', 'alert.completed', 'campaign.launched', 'campaign.milestone', 'campaign.update']

t.test('every event kind is delivered once with its ids and counts, and no personal data', async (t) => {
  const env = await setup(t, { env: { WEBHOOK_ALLOW_PRIVATE: 'true' } })
  const receiver = await startReceiver(t)
  const auth = await organizerAuth(env.db)
  const { secret } = await register(env, auth, receiver.url, EVENTS)
  receiver.secret = secret
  const of = (type: string) => receiver.received.filter((r) => r.verified?.type === type)
  const one = async (type: string, match: (r: Received) => boolean = () => true) =>
    eventually(async () => of(type).find(match), 15_000, `${type} delivered`)

  const slug = uniqueName('hook').replaceAll('_', '-')
  const created = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers: { authorization: auth },
    payload: { ...campaignInput, slug, goal: 1 },
  })
  t.equal(created.statusCode, 201)
  const { id: campaignId } = await env.db
    .selectFrom('campaigns')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow()
  await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/launch`, headers: { authorization: auth } })
  const launched = await one('campaign.launched')
  t.same(launched.verified!.data, { campaignId, slug, goal: 1, reopened: false })

  await activeSubscriber(env, 'subscriber.person@example.org')
  const { reportId, alertId } = await publish(env, {
    occurredOn: '2021-07-14',
    place: { name: 'Tumen', province: 'Jilin', country: 'CN' },
    peopleCount: 325,
    kind: 'detention',
    summary: 'Held in Tumen.',
    confidence: 'credible',
    campaign: slug,
  })
  const published = await one('report.published')
  t.same(published.verified!.data, { reportId, alertId, campaignId, peopleCount: 325 })
  const reportDone = await one('alert.completed', (r) => r.verified!.data.alertId === alertId)
  t.same(reportDone.verified!.data, {
    alertId,
    kind: 'report',
    reportId,
    updateId: null,
    recipients: 1,
    sent: 1,
    failed: 0,
    suppressed: 0,
    cancelled: 0,
  })

  await confirmedSigner(env, slug, 'signer.person@example.org')
  const milestone = await one('campaign.milestone')
  t.match(milestone.verified!.data, { campaignId, slug, threshold: 1, signatureCount: 1, updateId: null })
  t.match(milestone.verified!.data.milestoneId, /^\d+$/)

  const posted = await postUpdate(
    env,
    slug,
    { kind: 'good-news', title: 'Released', body: 'They are safe.', notify: true },
    auth,
  )
  t.equal(posted.status, 202)
  const update = await one('campaign.update')
  t.same(update.verified!.data, {
    campaignId,
    slug,
    updateId: posted.json.update.id,
    kind: 'good-news',
    outcome: null,
    alertId: posted.json.alert.id,
  })
  const updateDone = await one('alert.completed', (r) => r.verified!.data.alertId === posted.json.alert.id)
  t.match(updateDone.verified!.data, { kind: 'update', updateId: posted.json.update.id, recipients: 1, sent: 1 })

  await sleep(1000)
  const counts = Object.fromEntries(EVENTS.map((e) => [e, of(e).length]))
  t.same(
    counts,
    {
      'report.published': 1,
      'alert.completed': 2,
      'campaign.launched': 1,
      'campaign.milestone': 1,
      'campaign.update': 1,
    },
    'each once',
  )
  t.equal(receiver.received.length, 6, 'nothing else')
  t.ok(
    receiver.received.every((r) => r.verified),
    'every request verifies with standardwebhooks',
  )
  t.equal(new Set(receiver.received.map((r) => r.id)).size, 6, 'each with its own webhook-id')
  for (const r of receiver.received) {
    t.notMatch(r.body, /@|person|Signer|Kim|Released|safe|Tumen/, `${r.verified?.type}: no address, name or text`)
    t.match(r.verified, { timestamp: /^\d{4}-\d{2}-\d{2}T/ })
  }
})

t.test('an event nobody subscribed to writes nothing', async (t) => {
  const env = await setup(t, { workers: false, env: { WEBHOOK_ALLOW_PRIVATE: 'true' } })
  const auth = await organizerAuth(env.db)
  await register(env, auth, 'http://127.0.0.1:9/hook', ['campaign.milestone'])
  const created = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers: { authorization: auth },
    payload: { ...campaignInput, slug: 'nobody-listens' },
  })
  t.equal(created.statusCode, 201)
  const launched = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns/nobody-listens/launch',
    headers: { authorization: auth },
  })
  t.equal(launched.statusCode, 200)
  t.equal((await env.db.selectFrom('webhook_deliveries').select('id').execute()).length, 0)
  t.equal((await env.db.selectFrom('outbox').select('id').where('kind', '=', 'webhook.deliver').execute()).length, 0)
})
