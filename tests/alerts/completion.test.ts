// When an alert becomes done: written by the send that settles its last delivery (or by the
// fan-out, when there is nothing to send), never by someone reading its progress.
import { sql } from 'kysely'
import t, { type Test } from 'tap'
import { deliverAlerts } from '../../src/modules/alerts/delivery.ts'
import { cancelQueuedPage } from '../../src/modules/alerts/repository.ts'
import { fanOut } from '../../src/modules/alerts/fanout.ts'
import { createComposer } from '../../src/present/mail.ts'
import type { Mailer } from '../../src/mail/transport.ts'
import { eventually, loginAs, openQueue, setup, type TestEnv } from '../helper.ts'
import { progressOf, publish } from './helpers.ts'

async function subscribers(env: TestEnv, n: number) {
  await sql`
    insert into subscribers (email, email_key, status, topic_all, nonce, confirmed_at)
    select 'done' || i || '@example.org', 'done' || i || '@example.org', 'active', true, decode(md5('d' || i), 'hex'), now()
    from generate_series(1, ${n}::int) as i`.execute(env.db)
}

const alertRow = (env: TestEnv, id: string) =>
  env.db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

/** Publishes with no worker running and fans out by hand: the alert is sending, its deliveries queued. */
async function fannedOut(t: Test, env: TestEnv) {
  const published = await publish(env)
  const queue = openQueue(t, env, 'deliveries')
  await fanOut(env.db, queue, published.alertId)
  const rows = await env.db
    .selectFrom('deliveries')
    .select('id')
    .where('alert_id', '=', published.alertId)
    .orderBy('id')
    .execute()
  return { ...published, deliveryIds: rows.map((r) => r.id) }
}

/** Sends through deliverAlerts itself, with a mailer that runs `during` inside the first send. */
function sendDeps(env: TestEnv, during: () => Promise<unknown>) {
  let first = true
  const mailer: Mailer = {
    async send() {
      if (first) {
        first = false
        await during()
      }
      return { response: '250 queued' }
    },
    close() {},
  }
  return { db: env.db, config: env.config, mailer, compose: createComposer({ db: env.db, config: env.config }) }
}

t.test('an alert is done in the database once its deliveries are sent, without anyone reading it', async (t) => {
  const env = await setup(t)
  await subscribers(env, 3)
  const { alertId } = await publish(env)
  await env.smtp.waitFor(3)
  // No GET of the alert anywhere in this test: only the workers can have written this.
  const row = await eventually(
    async () => {
      const now = await alertRow(env, alertId)
      return now.status === 'done' ? now : undefined
    },
    10_000,
    'the alerts row to say done',
  )
  t.ok(row.fanned_out_at, 'fanned out')
  const left = await env.db.selectFrom('deliveries').select('status').where('alert_id', '=', alertId).execute()
  t.same(
    left.map((d) => d.status),
    ['sent', 'sent', 'sent'],
  )
})

t.test('an alert with no recipients is done as soon as it is fanned out', async (t) => {
  const env = await setup(t)
  const { alertId } = await publish(env)
  const row = await eventually(
    async () => {
      const now = await alertRow(env, alertId)
      return now.status === 'done' ? now : undefined
    },
    10_000,
    'the alerts row to say done',
  )
  t.ok(row.fanned_out_at)
  t.equal(env.smtp.messages.length, 0)
})

t.test(
  'reading an alert (API or console page) leaves its row unchanged, mid-flight or not yet caught up',
  async (t) => {
    const env = await setup(t, { workers: false })
    await subscribers(env, 2)
    const { alertId, headers } = await fannedOut(t, env)
    const { client } = await loginAs(env, 'organizer')
    const readBoth = async () => {
      const api = await env.app.inject({ url: `/api/v1/alerts/${alertId}`, headers })
      t.equal(api.statusCode, 200)
      t.equal((await client.get(`/admin/alerts/${alertId}`)).statusCode, 200)
      return api.json()
    }

    const midFlight = await alertRow(env, alertId)
    t.equal(midFlight.status, 'sending')
    t.match(await readBoth(), { status: 'sending', recipients: 2, sent: 0 })
    t.same(await alertRow(env, alertId), midFlight, 'mid-flight: unchanged')

    // Every delivery recorded, the completion statement not yet run (or its worker died first).
    await env.db.updateTable('deliveries').set({ status: 'sent' }).where('alert_id', '=', alertId).execute()
    const lagging = await alertRow(env, alertId)
    t.equal(lagging.status, 'sending')
    const answer = await readBoth()
    t.same(
      answer,
      {
        id: alertId,
        report: answer.report,
        update: null,
        kind: 'report',
        status: 'done',
        recipients: 2,
        queued: 0,
        sent: 2,
        failed: 0,
        suppressed: 0,
        cancelled: 0,
      },
      'the answer says done from the counts',
    )
    t.same(await alertRow(env, alertId), lagging, 'and the row is left as it was')
  },
)

t.test(
  'paused while its last sends were in flight: the alert is done, not paused with nothing to resume',
  async (t) => {
    const env = await setup(t, { workers: false })
    await subscribers(env, 2)
    const { alertId, headers, deliveryIds } = await fannedOut(t, env)
    const pause = () => env.app.inject({ method: 'POST', url: `/api/v1/alerts/${alertId}/pause`, headers })
    const outcome = await deliverAlerts(
      sendDeps(env, async () => t.equal((await pause()).statusCode, 200)),
      deliveryIds,
    )
    t.match(outcome, { sent: 2 }, 'the sends already claimed went out')
    t.equal((await alertRow(env, alertId)).status, 'done')
  },
)

t.test('cancelled while its last sends were in flight: the alert stays cancelled', async (t) => {
  const env = await setup(t, { workers: false })
  await subscribers(env, 2)
  const { alertId, headers, deliveryIds } = await fannedOut(t, env)
  const cancel = () => env.app.inject({ method: 'POST', url: `/api/v1/alerts/${alertId}/cancel`, headers })
  const outcome = await deliverAlerts(
    sendDeps(env, async () => t.equal((await cancel()).statusCode, 200)),
    deliveryIds,
  )
  t.match(outcome, { sent: 2 })
  t.equal((await alertRow(env, alertId)).status, 'cancelled')
})

t.test('a cancel marks the queued deliveries a page at a time, and leaves settled ones as they are', async (t) => {
  const env = await setup(t, { workers: false })
  await subscribers(env, 5)
  const { alertId, headers, deliveryIds } = await fannedOut(t, env)
  await env.db.updateTable('deliveries').set({ status: 'sent' }).where('id', '=', deliveryIds[2]!).execute()
  const cursors: (string | null)[] = []
  for (let cursor: string | null = '0'; cursor !== null;)
    cursors.push((cursor = await cancelQueuedPage(env.db, { id: alertId, kind: 'report' }, 'main', cursor, 2)))
  t.equal(cursors.length, 4, 'three pages of two, then past the end')
  t.equal(cursors.at(-1), null)
  t.match(await progressOf(env, alertId, headers), { recipients: 5, queued: 0, cancelled: 4, sent: 1 })

  // Through the API: the alert's status commits first, then its pages.
  const second = await fannedOut(t, env)
  const cancelled = await env.app.inject({ method: 'POST', url: `/api/v1/alerts/${second.alertId}/cancel`, headers })
  t.match(cancelled.json(), { status: 'cancelled', recipients: 5, queued: 0, cancelled: 5 })
})
