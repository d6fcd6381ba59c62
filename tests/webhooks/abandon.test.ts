// A webhook job that BullMQ fails for good without its attempt settling the delivery (the last
// attempt threw before its answer was written, or the job stalled too often) gives the delivery up:
// failed, its outbox row done, so it is neither pending in the log nor waiting in the outbox for
// ever. A delivery already settled is left as it is.
import t from 'tap'
import { abandonDelivery } from '../../src/modules/webhooks/delivery.ts'
import { organizerAuth, setup } from '../helper.ts'

t.test('a delivery given up is failed and its outbox row done; a settled one stays', async (t) => {
  const env = await setup(t, { workers: false })
  const headers = { authorization: await organizerAuth(env.db) }
  const registered = await env.app.inject({
    method: 'POST',
    url: '/api/v1/webhooks',
    headers,
    payload: { url: 'http://93.184.216.34/hooks/ua', events: ['report.published'] },
  })
  t.equal(registered.statusCode, 201)
  const { id } = registered.json<{ id: string }>()
  const sendTest = async () => {
    const res = await env.app.inject({ method: 'POST', url: `/api/v1/webhooks/${id}/test`, headers })
    t.equal(res.statusCode, 202)
    const { deliveryId } = res.json<{ deliveryId: string }>()
    const row = await env.db
      .selectFrom('outbox')
      .select('id')
      .where('kind', '=', 'webhook.deliver')
      .where((eb) => eb(eb.ref('payload', '->>').key('deliveryId' as never), '=', deliveryId))
      .executeTakeFirstOrThrow()
    return { deliveryId, outboxId: row.id }
  }
  const stateOf = async (job: { deliveryId: string; outboxId: string }) => {
    const d = await env.db
      .selectFrom('webhook_deliveries')
      .select(['status', 'settled_at'])
      .where('id', '=', job.deliveryId)
      .executeTakeFirstOrThrow()
    const o = await env.db
      .selectFrom('outbox')
      .select('done_at')
      .where('id', '=', job.outboxId)
      .executeTakeFirstOrThrow()
    return { status: d.status, settled: d.settled_at !== null, done: o.done_at !== null }
  }

  const stuck = await sendTest()
  t.same(
    await stateOf(stuck),
    { status: 'pending', settled: false, done: false },
    'waiting, as a stalled job leaves it',
  )
  await abandonDelivery(env.db, stuck)
  t.same(await stateOf(stuck), { status: 'failed', settled: true, done: true })

  const settled = await sendTest()
  await env.db
    .updateTable('webhook_deliveries')
    .set({ status: 'succeeded' })
    .where('id', '=', settled.deliveryId)
    .execute()
  await abandonDelivery(env.db, settled)
  t.equal((await stateOf(settled)).status, 'succeeded', 'an answer already written stands')
})
