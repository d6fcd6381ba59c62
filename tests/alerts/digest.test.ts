import t from 'tap'
import { runDigest } from '../../src/modules/digests/service.ts'
import { eventually, openQueue, setup, sleep } from '../helper.ts'
import { activeSubscriber, jilinReport, mailsTo, publish, rawHeader, settled } from './helpers.ts'

const liaoning = {
  ...jilinReport,
  place: { name: 'Dandong', province: 'Liaoning', country: 'CN' },
  peopleCount: 180,
  summary: 'Held in Dandong.',
}

/** The app with two daily subscribers (everything; Liaoning only) and the deliveries queue. */
async function twoDailyReaders(t: Parameters<typeof setup>[0]) {
  const env = await setup(t)
  await activeSubscriber(env, 'daily@example.org', { frequency: 'daily' })
  await activeSubscriber(env, 'liaoning@example.org', { frequency: 'daily', topics: { provinces: ['liaoning'] } })
  const deliveries = openQueue(t, env, 'deliveries')
  const digestsTo = (to: string) => mailsTo(env, to).filter((m) => /digest/i.test(m.parsed.subject ?? ''))
  return { env, deliveries, digestsTo }
}

t.test('a daily digest holds exactly the matching reports published since the last one', async (t) => {
  const { env, deliveries, digestsTo } = await twoDailyReaders(t)

  const a = await publish(env)
  const b = await publish(env, liaoning)
  await settled(env, a.alertId, a.headers).catch(() => undefined) // no immediate subscribers: nothing to wait for
  t.equal(digestsTo('daily@example.org').length, 0, 'daily subscribers get no immediate alert')
  t.ok(b)

  t.equal(await runDigest(env.db, deliveries, '2026-01-01', new Date()), 2)
  // Generous waits: this file shares the machine with the fault tests' worker processes in CI.
  await eventually(
    async () => digestsTo('daily@example.org').length === 1 && digestsTo('liaoning@example.org').length === 1,
    30_000,
  )
  const first = digestsTo('daily@example.org')[0]!
  t.match(first.parsed.subject, /Daily digest: 2 new reports/)
  t.match(first.parsed.text, /Changbai county/)
  t.match(first.parsed.text, /Dandong/)
  t.equal(rawHeader(first, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click')
  const filtered = digestsTo('liaoning@example.org')[0]!
  t.match(filtered.parsed.subject, /1 new reports/)
  t.notMatch(filtered.parsed.text, /Changbai/, 'only the followed province')

  t.equal(await runDigest(env.db, deliveries, '2026-01-01', new Date()), 0, 'one digest per subscriber per day')
  t.equal(await runDigest(env.db, deliveries, '2026-01-02', new Date()), 2)
  await eventually(async () => {
    const rows = await env.db.selectFrom('digests').select('status').where('day', '=', '2026-01-02').execute()
    return rows.length === 2 && rows.every((r) => r.status === 'empty')
  }, 30_000)
  await sleep(300)
  t.equal(digestsTo('daily@example.org').length, 1, 'no email when there was nothing new')

  await publish(env, {
    ...liaoning,
    place: { name: 'Shenyang', province: 'Liaoning', country: 'CN' },
    summary: 'Held in Shenyang.',
  })
  await runDigest(env.db, deliveries, '2026-01-03', new Date())
  await eventually(async () => digestsTo('daily@example.org').length === 2, 30_000)
  const third = digestsTo('daily@example.org')[1]!
  t.match(third.parsed.subject, /1 new reports/)
  t.match(third.parsed.text, /Shenyang/)
  t.notMatch(third.parsed.text, /Dandong|Changbai/, 'nothing from the earlier digest')
})

t.test('the daily digest is a scheduled job', async (t) => {
  const env = await setup(t)
  const alerts = openQueue(t, env, 'alerts')
  const schedulers = await alerts.getJobSchedulers()
  t.same(
    schedulers.map((s) => [s.key, s.pattern, s.tz]),
    [['daily-digest', '0 7 * * *', 'UTC']],
  )
})

t.test('a retraction alerts those who got the report, with the correction note', async (t) => {
  const env = await setup(t)
  await activeSubscriber(env, 'got-it@example.org')
  const { reportId, alertId, headers } = await publish(env)
  await settled(env, alertId, headers)
  await activeSubscriber(env, 'joined-later@example.org')
  const res = await env.app.inject({
    method: 'POST',
    url: `/api/v1/reports/${reportId}/retract`,
    headers,
    payload: { note: 'The source withdrew the figure.' },
  })
  t.equal(res.statusCode, 202)
  t.equal(res.json().report.status, 'retracted')
  await settled(env, res.json().alert.id, headers)
  const correction = mailsTo(env, 'got-it@example.org').at(-1)!
  t.match(correction.parsed.subject, /^Correction:/)
  t.match(correction.parsed.text, /The source withdrew the figure\./)
  t.notOk(mailsTo(env, 'joined-later@example.org').some((m) => /Correction/.test(m.parsed.subject ?? '')))
  const again = await env.app.inject({
    method: 'POST',
    url: `/api/v1/reports/${reportId}/retract`,
    headers,
    payload: { note: 'x' },
  })
  t.equal(again.statusCode, 409)
  t.same((await env.app.inject({ url: '/api/v1/reports' })).json().reports, [], 'the API lists published reports only')
  const tracker = (await env.app.inject({ url: '/reports' })).body
  t.match(tracker, /The source withdrew the figure\./, 'the tracker keeps it, with its correction')
})

t.test('a digest reader hears of a retraction in the next digest, not of a report never sent', async (t) => {
  const { env, deliveries, digestsTo } = await twoDailyReaders(t)
  const retract = async (reportId: string, headers: Record<string, string>, note: string) => {
    const res = await env.app.inject({
      method: 'POST',
      url: `/api/v1/reports/${reportId}/retract`,
      headers,
      payload: { note },
    })
    t.equal(res.statusCode, 202)
  }

  const jilin = await publish(env)
  await runDigest(env.db, deliveries, '2026-02-01', new Date())
  await eventually(async () => digestsTo('daily@example.org').length === 1, 30_000)
  t.match(digestsTo('daily@example.org')[0]!.parsed.text, /Changbai county/)

  await retract(jilin.reportId, jilin.headers, 'The source withdrew the figure.')
  // Published and retracted between two digests: no digest ever carried it, none corrects it.
  const dandong = await publish(env, liaoning)
  await retract(dandong.reportId, dandong.headers, 'A duplicate of another report.')

  t.equal(await runDigest(env.db, deliveries, '2026-02-02', new Date()), 2)
  await eventually(async () => {
    const rows = await env.db.selectFrom('digests').select('status').where('day', '=', '2026-02-02').execute()
    return rows.length === 2 && rows.every((r) => r.status !== 'queued' && r.status !== 'sending')
  }, 30_000)
  const second = digestsTo('daily@example.org')[1]!
  t.match(second.parsed.subject, /Daily digest: 1 reports retracted/)
  t.match(second.parsed.text, /Retracted since your last digest/)
  t.match(second.parsed.text, /Correction: The source withdrew the figure\./)
  t.match(second.parsed.html, /The source withdrew the figure\./)
  t.notMatch(second.parsed.text, /Reports published since/, 'no new reports, no such heading')
  t.notMatch(second.parsed.text, /Dandong|duplicate/, 'the report no digest carried is not mentioned')
  t.equal(digestsTo('liaoning@example.org').length, 0, 'a retraction outside the topics is not sent')
  const row = await env.db
    .selectFrom('digests')
    .select(['status', 'report_count'])
    .where('day', '=', '2026-02-02')
    .where('status', '=', 'sent')
    .executeTakeFirstOrThrow()
  t.equal(row.report_count, 1)
})
