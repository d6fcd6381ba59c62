// The signing form's budget per client network, and the proof of work it asks for past it.
// The work is ALTCHA's scheme in our own few lines: the server picks a secret number up to `max`
// and sends sha256(salt + number); the browser finds the number. The challenge carries its expiry
// and a MAC, so nothing is stored until it is spent; a spent salt is remembered in Redis until
// it expires, so one solution signs once. If Redis is down, neither the budget nor the single
// use is enforced: signing must keep working without Redis.
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { Config } from '../../config.ts'
import { hashClient, hmac, sha256 } from '../../security.ts'

const PURPOSE = 'sign-challenge'
// Time to solve it, or for someone without JavaScript to read the notice and press the button.
const CHALLENGE_SECONDS = 15 * 60
const BUDGET_SECONDS = 3600

type ChallengeConfig = Pick<Config, 'secretKey' | 'signChallengeMaxNumber'>

const macOf = (secret: string, body: string) => hmac(secret, PURPOSE, body).subarray(0, 16)

/** A fresh challenge: `salt.max.expires.sha256hex.mac`, as the page's script reads it. */
export function issueChallenge(config: ChallengeConfig, now = Date.now()): string {
  const salt = randomBytes(12).toString('hex')
  const max = config.signChallengeMaxNumber
  const expires = Math.floor(now / 1000) + CHALLENGE_SECONDS
  const body = `${salt}.${max}.${expires}.${sha256(`${salt}${randomInt(0, max + 1)}`).toString('hex')}`
  return `${body}.${macOf(config.secretKey, body).toString('base64url')}`
}

const TOKEN = /^([0-9a-f]{24})\.(\d{1,9})\.(\d{1,12})\.([0-9a-f]{64})\.([A-Za-z0-9_-]{22})$/

/**
 * What a submitted challenge allows: `solved` (sign as usual), `unsolved` (a genuine challenge
 * sent back without a solution, as a browser without JavaScript does: keep the signature for
 * review) or `refused` (forged, expired, already spent, or a wrong solution: ask again).
 */
export async function checkChallenge(
  redis: Redis,
  config: ChallengeConfig & Pick<Config, 'queuePrefix'>,
  token: string,
  solution: string,
  now = Date.now(),
): Promise<'solved' | 'unsolved' | 'refused'> {
  const match = TOKEN.exec(token)
  if (!match) return 'refused'
  const [, salt, max, expires, challenge, mac] = match as unknown as [string, string, string, string, string, string]
  const body = `${salt}.${max}.${expires}.${challenge}`
  if (!timingSafeEqual(Buffer.from(mac, 'base64url'), macOf(config.secretKey, body))) return 'refused'
  const ttl = Number(expires) - Math.floor(now / 1000)
  if (ttl <= 0) return 'refused'
  let outcome: 'solved' | 'unsolved' = 'unsolved'
  if (solution !== '') {
    const right =
      /^\d{1,9}$/.test(solution) &&
      Number(solution) <= Number(max) &&
      sha256(`${salt}${Number(solution)}`).toString('hex') === challenge
    if (!right) return 'refused'
    outcome = 'solved'
  }
  return (await spend(redis, `${config.queuePrefix}:pow:${salt}`, ttl)) ? outcome : 'refused'
}

async function spend(redis: Redis, key: string, ttl: number): Promise<boolean> {
  try {
    return (await redis.set(key, '1', 'EX', ttl, 'NX')) === 'OK'
  } catch {
    return true
  }
}

/**
 * Counts one signature through the form against its network's hourly budget, atomically, and
 * says whether the budget is spent (this one included).
 */
export async function overSigningBudget(
  redis: Redis,
  config: Pick<Config, 'secretKey' | 'ipv6Prefix' | 'queuePrefix' | 'signChallengeAfter'>,
  ip: string | undefined,
): Promise<boolean> {
  const client = hashClient(config, ip)
  if (!client) return false
  const key = `${config.queuePrefix}:sign-budget:${client.toString('hex')}`
  try {
    const results = await redis.multi().set(key, '0', 'EX', BUDGET_SECONDS, 'NX').incr(key).exec()
    const count = Number(results?.[1]?.[1] ?? 0)
    return count > config.signChallengeAfter
  } catch {
    return false
  }
}

/**
 * What the signing form lets through: `sign` (under the budget, or solved), `hold` (a genuine
 * challenge sent back unsolved: keep the signature for review) or `challenge` (ask for the work).
 * A form that carries a challenge is judged by it alone and does not count against the budget.
 */
export async function signingGate(
  redis: Redis,
  config: Config,
  ip: string | undefined,
  challenge: string | undefined,
  solution: string,
): Promise<'sign' | 'hold' | 'challenge'> {
  if (challenge === undefined) return (await overSigningBudget(redis, config, ip)) ? 'challenge' : 'sign'
  const outcome = await checkChallenge(redis, config, challenge, solution)
  return outcome === 'solved' ? 'sign' : outcome === 'unsolved' ? 'hold' : 'challenge'
}
