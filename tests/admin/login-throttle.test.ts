import t from 'tap'
import { ConsoleClient, setup } from '../helper.ts'
import { systemActor } from '../../src/modules/audit/service.ts'
import { createOrganizer } from '../../src/modules/organizers/service.ts'
import { sha256 } from '../../src/security.ts'
import { fast, wrong } from './login-throttle-helper.ts'

t.test('no address and no network in clear in Redis; case and spaces count as the same address', async (t) => {
  const env = await setup(t, { workers: false, env: fast })
  const client = new ConsoleClient(env, '203.0.113.7')
  await client.get('/admin/login')
  const email = 'guessable@example.org'
  const limit = env.config.login.failsPerNetwork
  for (let i = 0; i < limit; i++) {
    const typed = i % 2 ? ` ${email.toUpperCase()} ` : email
    t.equal((await client.post('/admin/login', { email: typed, password: wrong })).statusCode, 401)
  }
  t.equal((await client.post('/admin/login', { email, password: wrong })).statusCode, 429, 'one address, one count')
  const keys = await env.app.redis.keys(`${env.config.queuePrefix}:login:*`)
  t.ok(keys.length >= 3)
  const plain = sha256(email).subarray(0, 16).toString('hex')
  for (const key of keys) {
    t.notOk(/guessable|example|203\.0\.113|203:0:113/i.test(key), `nothing readable in ${key}`)
    t.notOk(key.includes(plain.slice(0, 8)), 'not a plain hash of the address either')
  }
})

t.test('30 wrong passwords at once: only the limit is checked, the rest refused', async (t) => {
  // Only the (account, network) limit in play: the account's own is above 30.
  const env = await setup(t, { workers: false, env: { ...fast, LOGIN_FAILS_PER_ACCOUNT: '100' } })
  const { password } = await createOrganizer(env.db, systemActor('cli'), {
    email: 'parallel@example.org',
    name: 'P',
    role: 'organizer',
  })
  const client = new ConsoleClient(env, '198.51.100.4')
  await client.get('/admin/login')
  const answers = await Promise.all(
    Array.from({ length: 30 }, () => client.post('/admin/login', { email: 'parallel@example.org', password: wrong })),
  )
  const codes = answers.map((r) => r.statusCode)
  const limit = env.config.login.failsPerNetwork
  t.equal(codes.filter((c) => c === 401).length, limit, 'exactly the limit had their password checked')
  t.equal(codes.filter((c) => c === 429).length, 30 - limit, 'the others were refused before any check')
  const right = await client.post('/admin/login', { email: 'parallel@example.org', password })
  t.equal(right.statusCode, 429, 'the right password after the limit is refused too')
  t.equal((await env.db.selectFrom('sessions').select('id').execute()).length, 0)
})

t.test('with Redis unreachable a login is refused with a clear page, not waved through', async (t) => {
  const env = await setup(t, { workers: false, env: { ...fast, REDIS_URL: 'redis://127.0.0.1:1' } })
  const { password } = await createOrganizer(env.db, systemActor('cli'), {
    email: 'noredis@example.org',
    name: 'N',
    role: 'organizer',
  })
  const client = new ConsoleClient(env)
  await client.get('/admin/login')
  const res = await client.post('/admin/login', { email: 'noredis@example.org', password })
  t.equal(res.statusCode, 503)
  t.match(res.body, /try again in a moment/)
  t.equal((await env.db.selectFrom('sessions').select('id').execute()).length, 0)
})
