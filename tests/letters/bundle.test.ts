// A target switched to the daily bundle gets one email a day with that day's letters, exactly
// once per (target, day), even with the closing job run twice and the worker stopped and started.
import t from 'tap'
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
  { name: '김민지', email: 'minji@example.org', country: 'KR', city: '서울' },
  { name: 'Wang Fang', email: 'fang@example.org', country: 'CN', body: '请释放他们。' },
  { name: 'Ana Silva', email: 'ana@example.org', country: 'BR' },
]

async function writeAndConfirm(
  env: Awaited<ReturnType<typeof setup>>,
  slug: string,
  s: { email: string; name: string; country: string },
) {
  await write(env, slug, s)
  const mail = await eventually(async () => lettersTo(env, s.email)[0], 10_000, `confirmation to ${s.email}`)
  return pressConfirm(env, letterConfirmPath(mail))
}

t.test("a bundled target gets one email a day with that day's letters, once", async (t) => {
  const env = await setup(t, { env: { LETTER_RATE_PER_HOUR: '0' } })
  const { slug, targetIds } = await letterCampaign(env, [ministry, unhcr])
  const [ministryId] = targetIds
  const { client } = await loginAs(env, 'organizer')
  await client.get(`/admin/targets/${ministryId}/edit`)
  const switched = await client.post(`/admin/targets/${ministryId}/letters`, { bundle: 'on' })
  t.equal(switched.statusCode, 303)
  const audit = await env.db.selectFrom('audit_log').select('detail').where('action', '=', 'target.letters').execute()
  t.same(
    audit.map((a) => a.detail),
    [{ dailyBundle: true }],
    'audited',
  )

  for (const s of supporters) await writeAndConfirm(env, slug, s)
  await env.smtp.waitFor(6)
  await outboxSettled(env)
  t.equal(lettersTo(env, unhcr.email!).length, 3, 'the other target got each letter at once')
  t.equal(lettersTo(env, ministry.email!).length, 0, 'the bundled target got nothing yet')
  const bundles = await env.db.selectFrom('letter_bundles').select(['id', 'status']).execute()
  t.same(
    bundles.map((b) => b.status),
    ['open'],
    "one open bundle for the target's day",
  )

  // The day ends: the closing job runs twice, with the worker stopped and started in between.
  await env.db.updateTable('letter_bundles').set({ day: '2026-01-01' }).execute()
  await env.stopWorkers()
  const maintenance = openQueue(t, env, 'maintenance')
  await maintenance.add('close-letter-bundles', {}, { jobId: 'close-1' })
  await maintenance.add('close-letter-bundles', {}, { jobId: 'close-2' })
  await env.startWorkers()
  await env.smtp.waitFor(7)
  await outboxSettled(env)
  await env.stopWorkers()
  await maintenance.add('close-letter-bundles', {}, { jobId: 'close-3' })
  await env.startWorkers()
  await sleep(500)
  await outboxSettled(env)

  const bundled = lettersTo(env, ministry.email!)
  t.equal(bundled.length, 1, 'one email for the day')
  const mail = bundled[0]!
  t.equal(mail.parsed.subject, '支持者的 3 封信（2026-01-01）', "in the target's language")
  const text = mail.parsed.text ?? ''
  t.match(text, /第 1 封，共 3 封/)
  t.match(text, /请给予他们安全通行。/, "the campaign's letter in the target's language")
  t.match(text, /请释放他们。/, "a supporter's own text")
  t.match(text, /김민지\n서울, 韩国/)
  t.match(text, /Ana Silva\n巴西/)
  t.notMatch(text.toLowerCase(), /minji@|fang@|ana@/, 'no supporter address')

  const rows = await env.db.selectFrom('letter_bundles').select(['status', 'letter_count']).execute()
  t.same(rows, [{ status: 'sent', letter_count: 3 }])
  const sends = await env.db.selectFrom('letter_sends').select('status').where('target_id', '=', ministryId!).execute()
  t.same(
    sends.map((s) => s.status),
    ['sent', 'sent', 'sent'],
  )
  const campaign = await env.db.selectFrom('campaigns').select('letters_sent').executeTakeFirstOrThrow()
  t.equal(Number(campaign.letters_sent), 6, 'every letter counted, bundled or not')

  // A letter after the close goes in a new bundle, for today; switching back sends the next at once.
  await writeAndConfirm(env, slug, { name: 'Late', email: 'late@example.org', country: 'KR' })
  await outboxSettled(env)
  t.equal(lettersTo(env, ministry.email!).length, 1)
  t.equal((await env.db.selectFrom('letter_bundles').select('id').where('status', '=', 'open').execute()).length, 1)
  await client.get(`/admin/targets/${ministryId}/edit`)
  await client.post(`/admin/targets/${ministryId}/letters`, {})
  await writeAndConfirm(env, slug, { name: 'Later', email: 'later@example.org', country: 'KR' })
  await env.smtp.waitFor(12)
  await outboxSettled(env)
  t.equal(lettersTo(env, ministry.email!).length, 2, 'one by one again once switched back')
})
