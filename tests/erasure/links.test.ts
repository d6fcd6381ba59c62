// Erasure links that must not erase: expired, unknown, tampered, or made for another purpose;
// and what an erasure keeps of a bounced address (its hash).
import { sql } from 'kysely'
import t from 'tap'
import { addressHash } from '../../src/modules/email-key.ts'
import { activeSubscriber } from '../alerts/helpers.ts'
import { confirmPath, liveCampaign, setup } from '../helper.ts'
import { erasePath, nthMailTo, requestErasure, requestsSettled, sign } from './helpers.ts'

const signer = { name: 'Han So-yeon', email: 'soyeon.han@example.org', country: 'KR' }

const signatures = (env: Awaited<ReturnType<typeof setup>>) =>
  env.db.selectFrom('signatures').select('id').where('email_key', '=', signer.email).execute()

t.test('an expired link shows a clear page and erases nothing', async (t) => {
  const env = await setup(t)
  const slug = await liveCampaign(env)
  await sign(env, slug, signer)
  await requestErasure(env, signer.email)
  const path = erasePath(await nthMailTo(env, signer.email, 2))
  await env.db
    .updateTable('erasure_requests')
    .set({ expires_at: sql<Date>`now() - interval '1 minute'` })
    .execute()

  const page = await env.app.inject({ url: path })
  t.equal(page.statusCode, 200)
  t.match(page.body, /This link has expired/)
  t.match(page.body, /href="\/privacy\/erase"/, 'it offers a new link')
  t.notMatch(page.body, /<form method="post"/, 'and no button')
  const post = await env.app.inject({ method: 'POST', url: path })
  t.equal(post.statusCode, 410)
  t.match(post.body, /This link has expired/)
  t.equal((await signatures(env)).length, 1, 'nothing erased')

  // The next request handled forgets the expired one's address; its page still says why.
  await requestErasure(env, 'someone.else@example.org')
  await requestsSettled(env)
  const expired = await env.db.selectFrom('erasure_requests').select('email_key').execute()
  t.same(expired, [{ email_key: null }])
  t.match((await env.app.inject({ url: path })).body, /This link has expired/)
})

t.test('unknown, tampered and other-purpose tokens show a clear page and erase nothing', async (t) => {
  const env = await setup(t)
  const slug = await liveCampaign(env)
  await sign(env, slug, signer, { confirm: false })
  const confirmToken = confirmPath(await nthMailTo(env, signer.email, 1))
    .split('/')
    .pop()!
  await requestErasure(env, signer.email)
  const real = erasePath(await nthMailTo(env, signer.email, 2))
  // The MAC's first character (its last one partly encodes padding bits, which decoding drops).
  const dot = real.indexOf('.')
  const tampered = real.slice(0, dot + 1) + (real[dot + 1] === 'A' ? 'B' : 'A') + real.slice(dot + 2)

  for (const [what, path] of [
    ['unknown', '/privacy/erase/AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB'],
    ['tampered', tampered],
    ['a signature confirm token', `/privacy/erase/${confirmToken}`],
    ['garbage', '/privacy/erase/..%2F..%2Fetc'],
  ]) {
    const page = await env.app.inject({ url: path! })
    t.equal(page.statusCode, 200, `${what}: GET 200`)
    t.match(page.body, /This link does not work/, `${what}: says so`)
    const post = await env.app.inject({ method: 'POST', url: path! })
    t.equal(post.statusCode, 404, `${what}: POST 404`)
  }
  t.equal((await signatures(env)).length, 1, 'nothing erased')
  t.match((await env.app.inject({ url: real })).body, /signatures on every petition/, 'the real link still works')
})

t.test('erasure keeps a bounce as the hash of the address alone, without the address or the answer', async (t) => {
  const env = await setup(t)
  const email = 'bounced.once@example.org'
  await activeSubscriber(env, email)
  await env.db
    .insertInto('suppressions')
    .values({ email_key: email, reason: 'bounced', detail: `550 5.1.1 <${email}>: mailbox full` })
    .execute()
  await requestErasure(env, email)
  const erased = await env.app.inject({ method: 'POST', url: erasePath(await nthMailTo(env, email, 2)) })
  t.equal(erased.statusCode, 200)
  t.equal((await env.db.selectFrom('subscribers').select('id').execute()).length, 0, 'the subscriber is gone')
  t.same(
    await env.db.selectFrom('suppressions').select(['email_key', 'address_hash', 'reason', 'detail']).execute(),
    [{ email_key: null, address_hash: addressHash(env.config.secretKey, email), reason: 'bounced', detail: null }],
    'the bounce stays, without the address',
  )
})
