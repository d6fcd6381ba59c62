import t from 'tap'
import { ConsoleClient, setup } from '../helper.ts'
import { ACCOUNT_LOCK_AFTER } from '../../src/modules/accounts/throttle.ts'
import { sha256 } from '../../src/security.ts'

t.test('the per-address login counter is keyed by the secret, not a plain hash of the address', async (t) => {
  const env = await setup(t, { workers: false })
  const client = new ConsoleClient(env)
  await client.get('/admin/login')
  const email = 'guessable@example.org'
  t.equal((await client.post('/admin/login', { email, password: 'nope-nope' })).statusCode, 401)
  const keys = await env.app.redis.keys(`${env.config.queuePrefix}:login:acct:*`)
  t.equal(keys.length, 1)
  const plain = sha256(email).subarray(0, 16).toString('hex')
  t.not(keys[0], `${env.config.queuePrefix}:login:acct:${plain}`, 'a guessed address cannot be checked against Redis')
  t.notOk(keys[0]!.includes(plain.slice(0, 8)))

  for (let i = 1; i < ACCOUNT_LOCK_AFTER; i++) {
    t.equal((await client.post('/admin/login', { email: ` ${email.toUpperCase()} `, password: 'nope-nope' })).statusCode, 401)
  }
  t.equal(await env.app.redis.get(keys[0]!), String(ACCOUNT_LOCK_AFTER), 'case and spaces count as the same address')
  t.equal((await client.post('/admin/login', { email, password: 'nope-nope' })).statusCode, 429, 'and the lock still works')
})
