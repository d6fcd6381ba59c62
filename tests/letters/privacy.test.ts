// A letter request under the retention and erasure rules of signatures.
import t from 'tap'
import { sql } from 'kysely'
import { systemActor } from '../../src/modules/audit/service.ts'
import { purgeStale } from '../../src/modules/retention/service.ts'
import { setup } from '../helper.ts'
import { erasePath, nthMailTo, requestErasure } from '../erasure/helpers.ts'
import { letterCampaign, letterConfirmPath, ministry, pressConfirm, supporter, write } from './helpers.ts'

t.test('a letter request never confirmed goes with retention, a confirmed one stays', async (t) => {
  const env = await setup(t, { workers: false })
  const { slug } = await letterCampaign(env, [ministry])
  await write(env, slug, { ...supporter, email: 'stale@example.org' })
  await write(env, slug, { ...supporter, email: 'fresh@example.org' })
  await env.db
    .updateTable('letters')
    .set({
      confirm_expires_at: sql<Date>`now() - interval '8 days'`,
      created_at: sql<Date>`now() - interval '40 days'`,
    })
    .where('email', '=', 'stale@example.org')
    .execute()
  await env.db
    .updateTable('letters')
    .set({ status: 'confirmed', created_at: sql<Date>`now() - interval '40 days'` })
    .where('email', '=', 'fresh@example.org')
    .execute()
  const purged = await purgeStale(env.db, systemActor('retention'), env.config)
  t.equal(purged.letters, 1)
  t.equal(purged.ipHashes, 1, "the confirmed letter's network hash goes after IP_HASH_DAYS")
  const left = await env.db.selectFrom('letters').select(['email', 'ip_hash']).execute()
  t.same(left, [{ email: 'fresh@example.org', ip_hash: null }])
})

t.test('erasure takes the letter requests and any letter not yet sent', async (t) => {
  const env = await setup(t, { env: { LETTER_RATE_PER_HOUR: '1' } })
  const { slug } = await letterCampaign(env, [ministry])
  // Two supporters: the second's letter waits an hour for the target's next turn.
  await write(env, slug, { ...supporter, email: 'first@example.org' })
  await pressConfirm(env, letterConfirmPath(await nthMailTo(env, 'first@example.org', 1)))
  await nthMailTo(env, ministry.email!, 1)
  await write(env, slug, { ...supporter, email: 'only-letters@example.org' })
  await pressConfirm(env, letterConfirmPath(await nthMailTo(env, 'only-letters@example.org', 1)))
  t.equal((await env.db.selectFrom('letter_sends').select('id').where('status', '=', 'queued').execute()).length, 1)

  // Someone who only wrote a letter gets the erasure link too: we hold their address.
  await requestErasure(env, 'only-letters@example.org')
  const link = await nthMailTo(env, 'only-letters@example.org', 2)
  const page = await env.app.inject({ url: erasePath(link) })
  t.match(page.body, /letters the platform was asked to send/)
  await env.app.inject({ method: 'POST', url: erasePath(link) })
  t.same(
    (await env.db.selectFrom('letters').select('email').execute()).map((r) => r.email),
    ['first@example.org'],
  )
  t.equal((await env.db.selectFrom('letter_sends').select('id').execute()).length, 1, 'the queued letter went with it')
})
