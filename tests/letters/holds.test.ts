// Queued letters from one network or email domain: the organizer sees a masked sample, holds
// them (not sent until released) or drops them (never sent); each action audited.
import { sql } from 'kysely'
import t from 'tap'
import { turnOf } from '../../src/modules/platform-letters/sends.ts'
import { eventually, loginAs, openQueue, setup, sleep } from '../helper.ts'
import {
  letterCampaign,
  letterConfirmPath,
  lettersTo,
  ministry,
  outboxSettled,
  pressConfirm,
  unhcr,
  write,
} from './helpers.ts'

const supporters = [
  { name: 'Good Writer', email: 'good@good.example', country: 'KR' },
  { name: 'Spam One', email: 'a@spam.example', country: 'KR' },
  { name: 'Spam Two', email: 'b@spam.example', country: 'KR' },
  { name: 'Dropped', email: 'c@drop.example', country: 'KR' },
]

/** Ends the open bundles' day as `day` and runs the bundle closer: back when every bundle is settled. */
function dayCloser(t: Parameters<typeof setup>[0], env: Awaited<ReturnType<typeof setup>>) {
  const maintenance = openQueue(t, env, 'maintenance')
  return async (jobId: string, day: string) => {
    await env.db.updateTable('letter_bundles').set({ day }).where('status', '=', 'open').execute()
    await maintenance.add('close-letter-bundles', {}, { jobId })
    await eventually(
      async () =>
        (await env.db.selectFrom('letter_bundles').select('id').where('status', 'in', ['open', 'queued']).execute())
          .length === 0,
      10_000,
      'the bundles settled',
    )
    await outboxSettled(env)
  }
}

t.test('held letters wait until released, dropped ones are never sent', async (t) => {
  const env = await setup(t, { env: { LETTER_RATE_PER_HOUR: '0' } })
  const { slug, targetIds } = await letterCampaign(env, [ministry, unhcr])
  const unhcrId = targetIds[1]!
  const { client } = await loginAs(env, 'organizer')
  await client.get(`/admin/targets/${unhcrId}/edit`)
  await client.post(`/admin/targets/${unhcrId}/letters`, { bundle: 'on' })

  const links: string[] = []
  for (const s of supporters) {
    await write(env, slug, s)
    const mail = await eventually(async () => lettersTo(env, s.email)[0], 10_000, `confirmation to ${s.email}`)
    links.push(letterConfirmPath(mail))
  }
  // Confirmed while no worker runs: every send is queued when the organizer looks.
  await env.stopWorkers()
  for (const link of links) await pressConfirm(env, link)

  const queue = await client.get(`/admin/campaigns/${slug}/letter-queue`)
  t.equal(queue.statusCode, 200)
  t.match(queue.body, /4 waiting, 0 held/)
  t.match(queue.body, /a\*\*\*@spam\.example/, 'addresses masked')
  t.notMatch(queue.body, /a@spam\.example/)

  const none = await client.post(`/admin/campaigns/${slug}/letter-queue`, { action: 'hold' })
  t.equal(none.statusCode, 400)
  t.match(none.body, /Give a letter number or an email domain/)
  const nothing = await client.post(`/admin/campaigns/${slug}/letter-queue?lang=zh`, {
    emailDomain: 'nomatch.example',
    action: 'hold',
  })
  t.equal(nothing.statusCode, 400)
  t.match(nothing.body, /没有匹配的等待中的信/, "refused in the reader's language")
  t.match(nothing.body, /value="nomatch.example"/, 'what was typed stays')

  const held = await client.post(`/admin/campaigns/${slug}/letter-queue`, {
    emailDomain: '@Spam.Example',
    action: 'hold',
  })
  t.equal(held.statusCode, 303)
  t.equal(held.headers.location, `/admin/campaigns/${slug}/letter-queue?held=2`)
  // Dropping asks first, and the question drops nothing.
  const asked = await client.post(`/admin/campaigns/${slug}/letter-queue?lang=en`, {
    emailDomain: 'drop.example',
    action: 'drop',
  })
  t.equal(asked.statusCode, 200)
  t.match(asked.body, /Drop these letters\?/)
  t.match(asked.body, /Letters from addresses at drop\.example\./)
  t.match(asked.body, /name="confirm" value="1"/)
  t.equal(
    (await env.db.selectFrom('audit_log').select('id').where('action', '=', 'letters.drop').execute()).length,
    0,
    'nothing dropped before the yes',
  )
  const dropped = await client.post(`/admin/campaigns/${slug}/letter-queue`, {
    emailDomain: 'drop.example',
    action: 'drop',
    confirm: '1',
  })
  t.equal(dropped.headers.location, `/admin/campaigns/${slug}/letter-queue?dropped=1`)
  t.match((await client.get(`/admin/campaigns/${slug}/letter-queue?lang=en`)).body, /1 waiting, 2 held/)

  // The workers run: only the good letter goes, alone to one target and in the day's bundle to the other.
  await env.startWorkers()
  const closeDay = dayCloser(t, env)
  await outboxSettled(env)
  await closeDay('close-1', '2026-01-01')
  const toMinistry = () => lettersTo(env, ministry.email!).map((m) => m.parsed.text ?? '')
  const toUnhcr = () => lettersTo(env, unhcr.email!).map((m) => m.parsed.text ?? '')
  t.equal(toMinistry().length, 1)
  t.match(toMinistry()[0], /Good Writer/)
  t.equal(toUnhcr().length, 1)
  t.match(toUnhcr()[0], /Good Writer/)
  t.notMatch(toUnhcr()[0], /Spam|Dropped/, 'held and dropped letters are not in the bundle')

  // Released: the held letters go, each as it would have; the dropped one never.
  const history = await client.get(`/admin/campaigns/${slug}/letter-queue`)
  const holdId = /letter-queue\/(\d+)\/release/.exec(history.body)?.[1]
  t.ok(holdId, 'the hold can be released')
  const released = await client.post(`/admin/campaigns/${slug}/letter-queue/${holdId}/release`)
  t.equal(released.statusCode, 303)
  t.equal(released.headers.location, `/admin/campaigns/${slug}/letter-queue?released=4`)
  await env.smtp.waitFor(4 + 1 + 1 + 2)
  await outboxSettled(env)
  await closeDay('close-2', '2026-01-02')
  t.equal(toMinistry().length, 3)
  t.ok(toMinistry().some((m) => m.includes('Spam One')) && toMinistry().some((m) => m.includes('Spam Two')))
  t.equal(toUnhcr().length, 2, 'the released letters in the next bundle')
  t.match(toUnhcr()[1], /Spam One[\s\S]*Spam Two/)
  t.notOk(
    [...toMinistry(), ...toUnhcr()].some((m) => m.includes('Dropped')),
    'the dropped letter never went',
  )
  const again = await client.post(`/admin/campaigns/${slug}/letter-queue/${holdId}/release`)
  t.equal(again.statusCode, 409, 'a hold is released once')

  const audit = await env.db
    .selectFrom('audit_log')
    .select('action')
    .where('action', 'like', 'letters.%')
    .orderBy('id')
    .execute()
  t.same(
    audit.map((a) => a.action),
    ['letters.hold', 'letters.drop', 'letters.release'],
  )
})

t.test('a day whose bundle holds only held letters sends nothing, and the letters go once released', async (t) => {
  const env = await setup(t, { env: { LETTER_RATE_PER_HOUR: '0' } })
  const { slug, targetIds } = await letterCampaign(env, [unhcr])
  const unhcrId = targetIds[0]!
  const { client } = await loginAs(env, 'organizer')
  await client.get(`/admin/targets/${unhcrId}/edit`)
  await client.post(`/admin/targets/${unhcrId}/letters`, { bundle: 'on' })
  const spam = supporters.filter((s) => s.email.endsWith('@spam.example'))
  const links: string[] = []
  for (const s of spam) {
    await write(env, slug, s)
    const mail = await eventually(async () => lettersTo(env, s.email)[0], 10_000, `confirmation to ${s.email}`)
    links.push(letterConfirmPath(mail))
  }
  await env.stopWorkers()
  for (const link of links) await pressConfirm(env, link)
  await client.get(`/admin/campaigns/${slug}/letter-queue`)
  const held = await client.post(`/admin/campaigns/${slug}/letter-queue`, {
    emailDomain: 'spam.example',
    action: 'hold',
  })
  t.equal(held.headers.location, `/admin/campaigns/${slug}/letter-queue?held=2`)

  await env.startWorkers()
  const closeDay = dayCloser(t, env)
  await outboxSettled(env)
  await closeDay('close-1', '2026-01-01')
  t.equal(lettersTo(env, unhcr.email!).length, 0, 'the day of held letters only sends nothing')
  const sends = () => env.db.selectFrom('letter_sends').select('status').orderBy('id').execute()
  t.same(
    (await sends()).map((s) => s.status),
    ['queued', 'queued'],
    'the held letters still wait, neither lost nor failed',
  )

  const history = await client.get(`/admin/campaigns/${slug}/letter-queue`)
  const holdId = /letter-queue\/(\d+)\/release/.exec(history.body)?.[1]
  const released = await client.post(`/admin/campaigns/${slug}/letter-queue/${holdId}/release`)
  t.equal(released.headers.location, `/admin/campaigns/${slug}/letter-queue?released=2`)
  await outboxSettled(env)
  await closeDay('close-2', '2026-01-02')
  const bundled = lettersTo(env, unhcr.email!)
  t.equal(bundled.length, 1, "the released letters in the next day's bundle")
  t.match(bundled[0]!.parsed.text, /Spam One[\s\S]*Spam Two/)
  t.same(
    (await sends()).map((s) => s.status),
    ['sent', 'sent'],
  )
})

t.test("a held send's job and the organizer's release do not pass each other by", async (t) => {
  const env = await setup(t, { env: { LETTER_RATE_PER_HOUR: '0' } })
  const { slug } = await letterCampaign(env, [unhcr])
  const s = supporters[1]!
  await write(env, slug, s)
  const mail = await eventually(async () => lettersTo(env, s.email)[0], 10_000, `confirmation to ${s.email}`)
  await env.stopWorkers()
  await pressConfirm(env, letterConfirmPath(mail))
  const { client } = await loginAs(env, 'organizer')
  await client.get(`/admin/campaigns/${slug}/letter-queue`)
  await client.post(`/admin/campaigns/${slug}/letter-queue`, { emailDomain: 'spam.example', action: 'hold' })
  const send = await env.db.selectFrom('letter_sends').select('id').executeTakeFirstOrThrow()
  const job = await env.db
    .selectFrom('outbox')
    .select('id')
    .where('kind', '=', 'letter.send')
    .where('done_at', 'is', null)
    .executeTakeFirstOrThrow()

  // A release under way (its transaction has cleared the hold, not yet committed): the job's
  // look at the send waits for it, and then sees the letter free to go.
  let settled: string | number | undefined
  let deciding: Promise<unknown> = Promise.resolve()
  await env.db.transaction().execute(async (trx) => {
    await trx.updateTable('letters').set({ hold_id: null }).execute()
    deciding = turnOf(env.db, send.id, job.id).then((turn) => (settled = turn))
    await sleep(300)
    t.equal(settled, undefined, 'the job waits for the release')
  })
  await deciding
  t.equal(settled, 'go', 'released first: the send goes')

  // The other way round: the job drops the held send first (its row done), and a release after it
  // finds no job pending and queues one, so the letter is not left waiting for ever.
  await env.db
    .updateTable('letters')
    .set({ hold_id: sql<string>`(select id from letter_holds limit 1)` })
    .execute()
  t.equal(await turnOf(env.db, send.id, job.id), 'drop')
  const done = await env.db.selectFrom('outbox').select('done_at').where('id', '=', job.id).executeTakeFirstOrThrow()
  t.ok(done.done_at, "the held send's job is done with it")
  const history = await client.get(`/admin/campaigns/${slug}/letter-queue`)
  const holdId = /letter-queue\/(\d+)\/release/.exec(history.body)?.[1]
  await client.post(`/admin/campaigns/${slug}/letter-queue/${holdId}/release`)
  await env.startWorkers()
  await eventually(async () => lettersTo(env, unhcr.email!).length === 1, 10_000, 'the released letter to go')
  t.pass('the released letter went')
})
