// What the login throttle tests share: fast settings and a guessing browser.
import { ConsoleClient, type TestEnv } from '../helper.ts'

// No waiting between wrong passwords here (the delays are not what these tests are about), and
// small limits: every password checked is a deliberately slow scrypt.
export const fast = { LOGIN_DELAY_MS: '0', LOGIN_FAILS_PER_NETWORK: '4', LOGIN_FAILS_PER_ACCOUNT: '12' }
export const wrong = 'not the password'

/** `times` wrong passwords for `email` from a fresh browser at `ip`; the status codes. */
export async function guess(env: TestEnv, email: string, ip: string, times: number) {
  const attacker = new ConsoleClient(env, ip)
  await attacker.get('/admin/login')
  const codes: number[] = []
  for (let i = 0; i < times; i++)
    codes.push((await attacker.post('/admin/login', { email, password: wrong })).statusCode)
  return codes
}

export const lockRows = (env: TestEnv) =>
  env.db.selectFrom('outbox').select(['payload']).where('kind', '=', 'account.locked').orderBy('id').execute()
