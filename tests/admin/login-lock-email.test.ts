import t from 'tap'
import { ConsoleClient, loginAs, setup } from '../helper.ts'
import { fast, guess, lockRows } from './login-throttle-helper.ts'

t.test('a lock is emailed once, in the holder language, naming no network', async (t) => {
  const env = await setup(t, { env: { ...fast, LOGIN_FAILS_PER_ACCOUNT: '7' } })
  const { client, email, password } = await loginAs(env, 'admin')
  // Her console speaks Korean: her own setting, whatever language a login page is shown in.
  await client.get('/admin/account')
  t.equal((await client.post('/admin/account/settings', { locale: 'ko', timeZone: 'Asia/Seoul' })).statusCode, 303)
  const english = new ConsoleClient(env)
  await english.get('/admin/login?lang=en')
  t.equal((await english.post('/admin/login', { email, password })).statusCode, 303, 'logs in once in English')

  const limit = env.config.login.failsPerNetwork
  const codes = await guess(env, email, '192.0.2.10', limit + 3)
  t.same(codes.slice(limit), [429, 429, 429])
  t.same(
    (await lockRows(env)).map((r) => r.payload),
    [
      {
        organizerId: (await env.db.selectFrom('organizers').select('id').executeTakeFirstOrThrow()).id,
        scope: 'network',
      },
    ],
    'one email for the lock, not one per refused attempt',
  )
  // 7 attempts from several networks lock the account for untrusted browsers: that is the second email.
  await guess(env, email, '192.0.2.11', limit + 1)
  t.equal((await lockRows(env)).length, 2)
  t.same(
    (await lockRows(env)).map((r) => (r.payload as { scope: string }).scope),
    ['network', 'account'],
  )
  await guess(env, email, '192.0.2.12', 5)
  t.equal((await lockRows(env)).length, 2, 'more guessing while locked sends nothing more')

  const mails = await env.smtp.waitFor(2)
  t.same(
    mails.map((m) => m.envelopeTo),
    [[email], [email]],
  )
  const [network, account] = mails.map((m) => m.parsed)
  t.equal(network!.subject, '운영자 계정 로그인이 잠시 중지되었습니다', 'in the language of her console')
  t.match(network!.text, /한 네트워크/)
  t.match(account!.text, /여러 네트워크/)
  t.match(account!.text, /전에 이 계정으로 로그인한 브라우저는 계속 쓸 수 있습니다/)
  for (const m of [network!, account!]) {
    t.notOk(/192\.0\.2|127\.0\.0/.test(`${m.text}${String(m.html)}`), 'no address of any network')
    t.ok(m.html, 'an HTML part too')
  }
})

t.test('an unknown address is locked like a known one, and nobody is emailed', async (t) => {
  const env = await setup(t, { env: fast })
  const limit = env.config.login.failsPerNetwork
  const codes = await guess(env, 'nobody@example.org', '192.0.2.20', limit + 2)
  t.same(codes, [...Array<number>(limit).fill(401), 429, 429])
  t.equal((await lockRows(env)).length, 0)
  t.equal(
    (await env.db.selectFrom('outbox').select('id').execute()).length,
    0,
    'nothing at all is written for the lock',
  )
})
