// A Message-ID names one delivery without saying which: no outbox, subscriber, digest or report
// id in it, the same on a retry of that delivery, different for any other.
import { sql } from 'kysely'
import t, { type Test } from 'tap'
import { deliverAlerts } from '../../src/modules/alerts/delivery.ts'
import { fanOut } from '../../src/modules/alerts/fanout.ts'
import { insertDigests, queuedDigests } from '../../src/modules/digests/repository.ts'
import { deliverDigest } from '../../src/modules/digests/service.ts'
import { deliverOutboxMessage } from '../../src/modules/messages/service.ts'
import { SendFailure, type Mailer, type OutgoingMessage } from '../../src/mail/transport.ts'
import { createComposer } from '../../src/present/mail.ts'
import { liveCampaign, openQueue, setup, signer, type TestEnv } from '../helper.ts'
import { publish } from '../alerts/helpers.ts'

/** A mailer that refuses with a greylisting 4xx when told to, and keeps every attempt. */
function flakyMailer() {
  const attempts: OutgoingMessage[] = []
  let refuse = false
  const mailer: Mailer & { attempts: OutgoingMessage[]; refuseNext(): void } = {
    attempts,
    refuseNext: () => void (refuse = true),
    async send(m) {
      attempts.push(m)
      if (refuse) {
        refuse = false
        throw new SendFailure('smtp EENVELOPE 451 4.7.1', 451, 'EENVELOPE')
      }
      return { response: '250 queued' }
    },
    close() {},
  }
  return mailer
}

const deps = (env: TestEnv, mailer: Mailer) => ({
  db: env.db,
  config: env.config,
  mailer,
  compose: createComposer({ db: env.db, config: env.config }),
})

/**
 * Random-looking: one base64url token at our host. The ids it stands for are not in it as
 * themselves, nor spelled with a kind and separators as before (`<report-7.report.12@host>`).
 */
function assertOpaque(t: Test, id: string, ids: string[]) {
  t.match(id, /^<[A-Za-z0-9_-]{22,}@ua\.test>$/, `${id} is one opaque token`)
  const local = id.slice(1, id.indexOf('@'))
  for (const n of ids) t.not(local, n, `not the id ${n} itself`)
}

t.test('an outbox email keeps its Message-ID on a retry; two emails differ; no id in it', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  for (const email of [signer.email, 'second.signer@example.org']) {
    await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: { ...signer, email } })
  }
  const rows = await env.db.selectFrom('outbox').select(['id', 'payload']).orderBy('id').execute()
  t.equal(rows.length, 2)
  const mailer = flakyMailer()
  mailer.refuseNext()
  await t.rejects(deliverOutboxMessage(deps(env, mailer), rows[0]!.id), /451/)
  t.equal(await deliverOutboxMessage(deps(env, mailer), rows[0]!.id), 'sent')
  t.equal(await deliverOutboxMessage(deps(env, mailer), rows[1]!.id), 'sent')
  const [refused, retried, other] = mailer.attempts.map((m) => m.messageId)
  t.equal(retried, refused, 'the retry sends the same Message-ID')
  t.not(other, retried, 'another email has another')
  const signatures = await env.db.selectFrom('signatures').select('id').execute()
  for (const id of [refused!, other!]) {
    assertOpaque(t, id, [...rows.map((r) => r.id), ...signatures.map((s) => s.id)])
    t.notMatch(id, /signature|confirm/)
  }
})

t.test('an alert delivery and a digest keep their Message-ID on a retry; no id in it', async (t) => {
  const env = await setup(t, { workers: false })
  await sql`
    insert into subscribers (email, email_key, status, topic_all, nonce, confirmed_at)
    select 'reader' || i || '@example.org', 'reader' || i || '@example.org', 'active', true, decode(md5('r' || i), 'hex'), now()
    from generate_series(1, 2) as i`.execute(env.db)
  const subscriberIds = (await env.db.selectFrom('subscribers').select('id').orderBy('id').execute()).map((s) => s.id)
  const since = new Date(Date.now() - 60_000)
  const { alertId, reportId } = await publish(env)
  await fanOut(env.db, openQueue(t, env, 'deliveries'), alertId)
  const deliveryIds = (
    await env.db.selectFrom('deliveries').select('id').where('alert_id', '=', alertId).orderBy('id').execute()
  ).map((d) => d.id)

  const mailer = flakyMailer()
  mailer.refuseNext()
  await t.rejects(deliverAlerts(deps(env, mailer), [deliveryIds[0]!]), /451/)
  await deliverAlerts(deps(env, mailer), deliveryIds)
  const [refused, retried, other] = mailer.attempts.map((m) => m.messageId)
  t.equal(retried, refused, 'the retried delivery sends the same Message-ID')
  t.not(other, retried, 'another subscriber gets another')
  for (const id of [refused!, other!]) {
    assertOpaque(t, id, [alertId, reportId, ...subscriberIds, ...deliveryIds])
    t.notMatch(id, /report/)
  }

  mailer.attempts.length = 0
  await insertDigests(
    env.db,
    '2026-01-01',
    new Date(),
    subscriberIds.map((id) => ({ id, since })),
  )
  const digestIds = await queuedDigests(env.db, '2026-01-01', subscriberIds)
  mailer.refuseNext()
  await t.rejects(deliverDigest(deps(env, mailer), digestIds[0]!))
  t.equal(await deliverDigest(deps(env, mailer), digestIds[0]!), 'sent')
  t.equal(await deliverDigest(deps(env, mailer), digestIds[1]!), 'sent')
  const [dRefused, dRetried, dOther] = mailer.attempts.map((m) => m.messageId)
  t.equal(dRetried, dRefused, 'the retried digest sends the same Message-ID')
  t.not(dOther, dRetried, 'another digest has another')
  t.not(dRetried, refused, 'a digest and an alert differ')
  for (const id of [dRefused!, dOther!]) {
    assertOpaque(t, id, [...digestIds, ...subscriberIds])
    t.notMatch(id, /digest/)
  }
})
