import t from 'tap'
import { ConsoleClient, loginAs, setup } from '../helper.ts'
import { fast, guess, wrong } from './login-throttle-helper.ts'

t.test('guessing from ten networks does not lock the holder out of a browser that logged in before', async (t) => {
  const env = await setup(t, { workers: false, env: fast })
  const { client: holder, email, password } = await loginAs(env, 'admin')
  t.ok(holder.cookies.get('ua_device'), 'the login left a device cookie')
  const limit = env.config.login.failsPerNetwork
  for (let n = 1; n <= 10; n++) {
    const codes = await guess(env, email, `192.0.2.${n}`, limit + 1)
    t.equal(codes.at(-1), 429, `network ${n} is locked after ${limit} wrong passwords`)
  }

  // The holder, even on one of the guessing networks, with the browser she logged in with before.
  await holder.post('/admin/logout')
  holder.ip = '192.0.2.1'
  const back = await holder.login(email, password)
  t.equal(back.statusCode, 303, 'her own browser gets in')
  t.equal((await holder.get('/admin/campaigns')).statusCode, 200)

  const fresh = new ConsoleClient(env, '192.0.2.1')
  t.equal((await fresh.login(email, password)).statusCode, 429, 'a fresh browser on a guessing network is locked')
  const elsewhere = new ConsoleClient(env, '198.51.100.200')
  const refused = await elsewhere.login(email, password)
  t.equal(refused.statusCode, 429, 'and so is a fresh browser anywhere once several networks have guessed')
  t.match(refused.body, /browser you have logged in with before/)
})

t.test('a device cookie is bound to its account, signed, and counted on its own failures', async (t) => {
  const env = await setup(t, { workers: false, env: fast })
  const one = await loginAs(env, 'organizer')
  const other = await loginAs(env, 'organizer')
  const cookie = one.client.cookies.get('ua_device')!
  t.notOk(cookie.includes(one.email.split('@')[0]!), 'no address in the cookie')
  const set = [(await new ConsoleClient(env).login(one.email, one.password)).headers['set-cookie']]
    .flat()
    .find((c) => c!.startsWith('ua_device='))!
  for (const attribute of [/Max-Age=\d{6,}/, /Path=\//, /HttpOnly/, /SameSite=Strict/]) t.match(set, attribute)
  t.notMatch(set, /Secure/, 'not Secure over http')

  const limit = env.config.login.failsPerNetwork
  await guess(env, other.email, '127.0.0.1', limit + 1) // the other account is locked on this network

  const borrowed = new ConsoleClient(env)
  borrowed.cookies.set('ua_device', cookie)
  t.equal((await borrowed.login(other.email, other.password)).statusCode, 429, "one account's cookie opens no other")
  const forged = new ConsoleClient(env)
  forged.cookies.set('ua_device', `${cookie.slice(0, -3)}AAA`)
  t.equal((await forged.login(other.email, other.password)).statusCode, 429, 'a forged cookie is ignored')

  // The trusted browser's own wrong passwords lock it, after the same number.
  await one.client.post('/admin/logout')
  await one.client.get('/admin/login')
  for (let i = 0; i < limit; i++) {
    t.equal((await one.client.post('/admin/login', { email: one.email, password: wrong })).statusCode, 401)
  }
  t.equal((await one.client.post('/admin/login', { email: one.email, password: one.password })).statusCode, 429)
})
