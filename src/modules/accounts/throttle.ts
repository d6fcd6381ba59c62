// Login throttling in Redis: failures are counted per submitted address and per client IP
// (under keyed hashes of both, never the address or IP itself). Past SLOW_AFTER failures each attempt
// waits; past LOCK_AFTER the address or IP is refused until the window has passed without one.
// Unknown addresses are counted like known ones, so the lock says nothing about who has an account.
import type { Redis } from 'ioredis'
import { AppError } from '../../errors.ts'
import { hashIp, hmac } from '../../security.ts'

export const WINDOW_SECONDS = 15 * 60
export const SLOW_AFTER = 5
export const SLOW_MS = 1000
export const ACCOUNT_LOCK_AFTER = 10
export const IP_LOCK_AFTER = 50

export interface ThrottleKeys {
  account: string
  ip: string
}

export function throttleKeys(prefix: string, secret: string, email: string, ip: string | undefined): ThrottleKeys {
  // Keyed, so that a Redis dump cannot be checked against guessed addresses.
  const account = hmac(secret, 'login-account', email.trim().toLowerCase()).subarray(0, 16).toString('hex')
  const ipKey = (hashIp(secret, ip) ?? Buffer.from('none')).toString('hex')
  return { account: `${prefix}:login:acct:${account}`, ip: `${prefix}:login:ip:${ipKey}` }
}

export type ThrottleState = { locked: true } | { locked: false; delayMs: number }

// Throttling is a security control: when Redis cannot answer, logins are refused, not waved through.
async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if (err instanceof AppError) throw err
    throw new AppError('unavailable')
  }
}

export function checkThrottle(redis: Redis, keys: ThrottleKeys): Promise<ThrottleState> {
  return guarded(async () => {
    const [account, ip] = (await redis.mget(keys.account, keys.ip)).map((v) => Number(v ?? 0))
    if (account! >= ACCOUNT_LOCK_AFTER || ip! >= IP_LOCK_AFTER) return { locked: true }
    return { locked: false, delayMs: account! >= SLOW_AFTER ? SLOW_MS : 0 }
  })
}

/** Counts a failure; each one restarts the window, so a lock lasts until WINDOW_SECONDS of quiet. */
export function recordFailure(redis: Redis, keys: ThrottleKeys): Promise<void> {
  return guarded(async () => {
    await redis
      .multi()
      .incr(keys.account)
      .expire(keys.account, WINDOW_SECONDS)
      .incr(keys.ip)
      .expire(keys.ip, WINDOW_SECONDS)
      .exec()
  })
}

export function recordSuccess(redis: Redis, keys: ThrottleKeys): Promise<void> {
  return guarded(async () => {
    await redis.del(keys.account)
  })
}
