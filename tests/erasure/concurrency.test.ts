// Erasure alongside other work on the same rows: two links of one address pressed together, and
// an alert whose last unsent delivery was the erased subscriber's.
import t from 'tap'
import { activeSubscriber, publish } from '../alerts/helpers.ts'
import { eventually, liveCampaign, setup } from '../helper.ts'
import { erasePath, mailsTo, nthMailTo, requestErasure, requestsSettled, sign } from './helpers.ts'

t.test('two links of one address pressed together: one erases, the other says it was used', async (t) => {
  const env = await setup(t)
  const slug = await liveCampaign(env)
  const people = ['kim', 'lee', 'park', 'choi', 'jung'].map((n) => ({
    name: n,
    email: `${n}.twice@example.org`,
    country: 'KR',
  }))
  const links: string[][] = []
  for (const person of people) {
    await sign(env, slug, person, { confirm: false })
    await requestErasure(env, person.email)
    await requestErasure(env, person.email)
    links.push([erasePath(await nthMailTo(env, person.email, 2)), erasePath(await nthMailTo(env, person.email, 3))])
  }
  await requestsSettled(env)
  // Every pair at once, all pairs together: the deadlock needed only two.
  const answers = await Promise.all(links.flat().map((url) => env.app.inject({ method: 'POST', url })))
  const statuses = answers.map((a) => a.statusCode)
  for (let i = 0; i < people.length; i++) {
    t.same([statuses[2 * i], statuses[2 * i + 1]].sort(), [200, 409], `${people[i]!.email}: erased once, then "used"`)
  }
  t.equal((await env.db.selectFrom('signatures').select('id').execute()).length, 0, 'every signature erased')
})

t.test('an alert whose last unsent delivery was the erased subscriber is done', async (t) => {
  const env = await setup(t)
  await activeSubscriber(env, 'last.one@example.org')
  // Fanned out, with the delivery still queued: the workers are stopped before it is sent.
  await env.stopWorkers()
  const { reportId } = await publish(env)
  const subscriber = await env.db
    .selectFrom('subscribers')
    .select('id')
    .where('email_key', '=', 'last.one@example.org')
    .executeTakeFirstOrThrow()
  const alert = await env.db
    .insertInto('alerts')
    .values({ report_id: reportId, kind: 'retraction', status: 'sending', fanned_out_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow()
  await env.db.insertInto('deliveries').values({ alert_id: alert.id, subscriber_id: subscriber.id }).execute()
  await env.startWorkers()
  await requestErasure(env, 'last.one@example.org')
  // The published report's own alert may come before or after the link.
  const mail = await eventually(async () =>
    mailsTo(env, 'last.one@example.org').find((m) => /\/privacy\/erase\//.test(m.parsed.text ?? '')),
  )
  const link = erasePath(mail)
  await env.stopWorkers()
  t.equal((await env.app.inject({ method: 'POST', url: link })).statusCode, 200)
  const row = await env.db.selectFrom('alerts').select('status').where('id', '=', alert.id).executeTakeFirstOrThrow()
  t.equal(row.status, 'done', 'no batch is left to mark it, so the erasure does')
})
