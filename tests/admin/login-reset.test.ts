import t from 'tap'
import { ConsoleClient, loginAs, setup } from '../helper.ts'
import { fast, wrong } from './login-throttle-helper.ts'

t.test('a successful login starts the count over for that network', async (t) => {
  const env = await setup(t, { workers: false, env: fast })
  const { email, password } = await loginAs(env, 'organizer')
  const limit = env.config.login.failsPerNetwork
  const browser = new ConsoleClient(env, '192.0.2.30')
  await browser.get('/admin/login')
  for (let i = 0; i < limit; i++) await browser.post('/admin/login', { email, password: wrong })
  t.equal((await browser.post('/admin/login', { email, password })).statusCode, 429)

  const fresh = new ConsoleClient(env, '192.0.2.31')
  await fresh.get('/admin/login')
  for (let i = 0; i < limit - 1; i++) await fresh.post('/admin/login', { email, password: wrong })
  t.equal((await fresh.login(email, password)).statusCode, 303, 'the right password before the limit works')
  await fresh.post('/admin/logout')
  const stranger = new ConsoleClient(env, '192.0.2.31') // same network, no device cookie
  await stranger.get('/admin/login')
  for (let i = 0; i < limit - 1; i++) {
    t.equal((await stranger.post('/admin/login', { email, password: wrong })).statusCode, 401, 'counted from zero')
  }
})
t.test('a wrong current password on the password change screen counts like a login', async (t) => {
  const env = await setup(t, { workers: false, env: fast })
  const { client, password } = await loginAs(env, 'organizer')
  const limit = env.config.login.failsPerNetwork
  const change = (current: string) =>
    client.post('/admin/account/password', {
      current,
      password: 'a new long phrase 1',
      confirmation: 'a new long phrase 1',
    })
  for (let i = 0; i < limit; i++) {
    const res = await change(wrong)
    t.equal(res.statusCode, 400)
    t.match(res.body, /current password is wrong/i)
  }
  const locked = await change(password)
  t.equal(locked.statusCode, 429, 'the right current password past the limit is refused')
  t.match(locked.body, /Too many failed attempts/)
  t.equal((await client.get('/admin/campaigns')).statusCode, 200, 'the session itself goes on')
})
