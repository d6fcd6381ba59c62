// Letters to one target are spread out (LETTER_RATE_PER_HOUR) and stop at a target whose mail
// server refuses one.
import t from 'tap'
import { eventually, openQueue, setup, type TestEnv } from '../helper.ts'
import { nthMailTo } from '../erasure/helpers.ts'
import {
  letterCampaign,
  letterConfirmPath,
  lettersTo,
  ministry,
  pressConfirm,
  supporter,
  unhcr,
  write,
} from './helpers.ts'

async function writeAndConfirm(env: TestEnv, slug: string, email: string) {
  await write(env, slug, { ...supporter, email })
  await pressConfirm(env, letterConfirmPath(await nthMailTo(env, email, 1)))
}

const sendsTo = (env: TestEnv, targetId: string) =>
  env.db
    .selectFrom('letter_sends')
    .innerJoin('letters', 'letters.id', 'letter_sends.letter_id')
    .select(['letters.email', 'letter_sends.status', 'letter_sends.send_after', 'letter_sends.sent_at'])
    .where('letter_sends.target_id', '=', targetId)
    .orderBy('letter_sends.send_after')
    .execute()

t.test('letters to one target take turns 3600 / LETTER_RATE_PER_HOUR seconds apart, in order', async (t) => {
  // 7,200 an hour: a turn every half second.
  const env = await setup(t, { env: { LETTER_RATE_PER_HOUR: '7200' } })
  const { slug, targetIds } = await letterCampaign(env, [ministry])
  const writers = ['w1@example.org', 'w2@example.org', 'w3@example.org', 'w4@example.org']
  for (const email of writers) await writeAndConfirm(env, slug, email)
  for (let i = 1; i <= writers.length; i++) await nthMailTo(env, ministry.email!, i, 20_000)

  const sends = await eventually(async () => {
    const rows = await sendsTo(env, targetIds[0]!)
    return rows.every((s) => s.status === 'sent') && rows
  })
  t.same(
    sends.map((s) => s.email),
    writers,
    'turns in the order the letters were confirmed',
  )
  for (let i = 1; i < sends.length; i++) {
    const gap = sends[i]!.send_after.getTime() - sends[i - 1]!.send_after.getTime()
    t.ok(gap >= 500, `turn ${i + 1} comes at least 0.5 s after turn ${i} (${gap} ms)`)
  }
  for (const s of sends) {
    t.equal(s.status, 'sent')
    t.ok(s.sent_at!.getTime() >= s.send_after.getTime(), 'never sent before its turn')
  }
})

t.test('past the hour’s share a letter waits, delayed in the queue, for its turn', async (t) => {
  const env = await setup(t, { env: { LETTER_RATE_PER_HOUR: '1' } })
  const { slug, targetIds } = await letterCampaign(env, [ministry, unhcr])
  await writeAndConfirm(env, slug, 'first@example.org')
  await nthMailTo(env, ministry.email!, 1)
  await nthMailTo(env, unhcr.email!, 1)
  await writeAndConfirm(env, slug, 'second@example.org')

  const [first, second] = await sendsTo(env, targetIds[0]!)
  t.equal(first!.status, 'sent')
  t.equal(second!.status, 'queued')
  const wait = second!.send_after.getTime() - first!.send_after.getTime()
  t.ok(wait >= 3_600_000, `the second letter's turn is an hour after the first (${wait} ms)`)

  // Its job is in BullMQ's delayed set until then: a restarted worker finds it there.
  const queue = openQueue(t, env, 'mail')
  const outboxRow = await env.db
    .selectFrom('outbox')
    .select('id')
    .where('kind', '=', 'letter.send')
    .where('done_at', 'is', null)
    .orderBy('id')
    .execute()
  t.equal(outboxRow.length, 2, 'one waiting letter per target, not done')
  for (const row of outboxRow) {
    const job = await eventuallyDelayed(queue, `outbox-${row.id}`)
    t.ok(job, `job outbox-${row.id} waits in the delayed set`)
  }
  t.equal(lettersTo(env, ministry.email!).length, 1)
  t.equal(lettersTo(env, unhcr.email!).length, 1)
})

async function eventuallyDelayed(queue: ReturnType<typeof openQueue>, id: string) {
  for (let i = 0; i < 400; i++) {
    const job = await queue.getJob(id)
    if (job && (await job.getState()) === 'delayed') return job
    await new Promise((r) => setTimeout(r, 25))
  }
  return undefined
}

t.test("a 5xx from the target's mail server stops its letters and marks it bounced", async (t) => {
  const env = await setup(t, { env: { LETTER_RATE_PER_HOUR: '7200' } })
  const { slug, targetIds } = await letterCampaign(env, [ministry])
  // The first letter is refused for good; the second, queued behind it, must not be tried.
  await write(env, slug, { ...supporter, email: 'a@example.org' })
  await write(env, slug, { ...supporter, email: 'b@example.org' })
  const pathA = letterConfirmPath(await nthMailTo(env, 'a@example.org', 1))
  const pathB = letterConfirmPath(await nthMailTo(env, 'b@example.org', 1))
  env.smtp.respondWith(550, 1, () => '550 5.1.1 mailbox unavailable')
  await pressConfirm(env, pathA)
  await pressConfirm(env, pathB)

  const target = await eventually(async () => {
    const row = await env.db
      .selectFrom('targets')
      .select('bounced_at')
      .where('id', '=', targetIds[0]!)
      .executeTakeFirstOrThrow()
    return row.bounced_at ? row : undefined
  })
  t.ok(target.bounced_at, 'the target is marked bounced')
  const settled = await eventually(async () => {
    const sends = await sendsTo(env, targetIds[0]!)
    return sends.every((s) => s.status !== 'queued') ? sends : undefined
  })
  t.same(
    settled.map((s) => [s.email, s.status]),
    [
      ['a@example.org', 'bounced'],
      ['b@example.org', 'stopped'],
    ],
  )
  t.equal(lettersTo(env, ministry.email!).length, 0, 'nothing reached the target')

  // A later letter is not even queued for it; the console shows the bounce.
  await writeAndConfirm(env, slug, 'c@example.org')
  t.equal((await sendsTo(env, targetIds[0]!)).length, 2)
  const campaign = await env.db.selectFrom('campaigns').select('letters_sent').executeTakeFirstOrThrow()
  t.equal(Number(campaign.letters_sent), 0)
})
