// Console login throttling: rate-limiter-flexible's login brute-force pattern in Redis, with
// OWASP's device cookies so that guessing cannot lock the holder out. Every attempt is counted
// BEFORE the password is checked, by one atomic increment per counter, and decided on the count
// that increment returns: parallel attempts cannot slip past a limit. Keys are keyed hashes of
// the account's address, the client's network and the device: nothing in Redis reads back.
// An unknown address is counted exactly like a known one.
import { timingSafeEqual } from 'node:crypto'
import type { Redis } from 'ioredis'
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible'
import type { Config } from '../../config.ts'
import { AppError } from '../../errors.ts'
import { hashClient, hmac, randomNonce } from '../../security.ts'

const HOUR = 3600
const DAY = 24 * HOUR
/** The first lock of an (account, network) pair or a device; each further one in a day doubles it. */
export const LOCK_SECONDS = 15 * 60
/** A lock email of each kind goes out at most once per account in this time, whatever the networks. */
const LOCK_MAIL_SECONDS = HOUR
/** Wrong passwords before the progressive delays start, and how far they double. */
const FREE_FAILS = 3
const MAX_DELAY_FACTOR = 8
const DEVICE_PURPOSE = 'login-device'

/** Which lock an attempt started: one (account, network) pair, or the account for untrusted browsers. */
export type LockScope = 'network' | 'account'

export type ThrottleConfig = Pick<Config, 'secretKey' | 'ipv6Prefix' | 'queuePrefix' | 'login'>

/** The keyed hash an account (or an address without one) is counted under. */
export function accountKey(secret: string, normalisedEmail: string): string {
  return hmac(secret, 'login-account', normalisedEmail).subarray(0, 16).toString('hex')
}

function deviceMac(secret: string, account: string, device: Buffer): Buffer {
  return hmac(secret, DEVICE_PURPOSE, Buffer.concat([Buffer.from(account, 'hex'), device])).subarray(0, 16)
}

/**
 * A device cookie's value: a random id and a MAC binding it to one account (by its keyed hash,
 * so the cookie names no address). Only the server can make one, only after a login.
 */
export function deviceCookie(secret: string, account: string, keepDevice?: string): string {
  const device = keepDevice ? Buffer.from(keepDevice, 'hex') : randomNonce()
  return `${device.toString('base64url')}.${deviceMac(secret, account, device).toString('base64url')}`
}

/** The device id (hex) of a cookie that is valid for this account, else undefined. */
export function trustedDevice(secret: string, account: string, cookie: string | undefined): string | undefined {
  const match = cookie && /^([A-Za-z0-9_-]{21}[AQgw])\.([A-Za-z0-9_-]{21}[AQgw])$/.exec(cookie)
  if (!match) return undefined
  const device = Buffer.from(match[1]!, 'base64url')
  const mac = Buffer.from(match[2]!, 'base64url')
  return timingSafeEqual(mac, deviceMac(secret, account, device)) ? device.toString('hex') : undefined
}

export interface Client {
  account: string
  ip: string | undefined
  /** The browser's device cookie, as sent (checked here against the account). */
  deviceCookie: string | undefined
}

export type Attempt =
  | { allowed: false; lockStarted: LockScope | undefined }
  | { allowed: true; trusted: boolean; device: string | undefined; delayMs: number; keys: Keys }

interface Keys {
  pair?: string
  account?: string
  network?: string
  device?: string
}

// One object per call: a limiter holds no state of its own, only its settings (the counts live in Redis).
function limiters(redis: Redis, config: ThrottleConfig) {
  const make = (name: string, points: number, duration: number) =>
    new RateLimiterRedis({ storeClient: redis, keyPrefix: `${config.queuePrefix}:login:${name}`, points, duration })
  return {
    /** Consecutive failures of one (account, network) pair; a success starts it over. */
    pair: make('pair', config.login.failsPerNetwork, DAY),
    /** Consecutive failures of one trusted browser on its account. */
    device: make('device', config.login.failsPerNetwork, DAY),
    /** How many locks a pair or device had today: each lasts twice as long as the one before. */
    locks: make('locks', 1_000_000, DAY),
    /** Failures on one account from browsers without its device cookie, per hour. */
    account: make('acct', config.login.failsPerAccount, HOUR),
    /** Failures from one network on any account, per day. */
    network: make('net', config.login.failsPerNetworkDay, DAY),
  }
}

type Limiters = ReturnType<typeof limiters>

/** Counts one attempt and returns how many there have been, over the limit or not. */
async function count(limiter: RateLimiterRedis, key: string): Promise<number> {
  try {
    return (await limiter.consume(key)).consumedPoints
  } catch (res) {
    if (res instanceof RateLimiterRes) return res.consumedPoints
    throw res
  }
}

// Throttling is a security control: when Redis cannot answer, logins are refused, not waved through.
async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if (err instanceof AppError) throw err
    throw new AppError('unavailable')
  }
}

/** The first attempt over the limit starts a lock, longer for each lock of this key today. */
async function lock(l: Limiters, which: 'pair' | 'device', key: string) {
  const limiter = l[which]
  const nth = await count(l.locks, `${which}:${key}`)
  await limiter.block(key, Math.min(LOCK_SECONDS * 2 ** Math.min(nth - 1, 10), DAY))
}

/** True for the first call per account and scope within LOCK_MAIL_SECONDS: many locks, one email. */
async function claimLockMail(redis: Redis, config: ThrottleConfig, account: string, scope: LockScope) {
  const key = `${config.queuePrefix}:login:mailed:${scope}:${account}`
  return (await redis.set(key, '1', 'EX', LOCK_MAIL_SECONDS, 'NX')) === 'OK'
}

function delayAfter(config: ThrottleConfig, failures: number): number {
  if (failures <= FREE_FAILS) return 0
  return config.login.delayMs * Math.min(2 ** (failures - FREE_FAILS - 1), MAX_DELAY_FACTOR)
}

/**
 * Counts an attempt before its password is checked. A browser with a valid device cookie for the
 * account is counted on its own failures only; any other is counted per (account, network), per
 * account and per network. Refused past any limit, even if the password would be right.
 */
export function beginAttempt(redis: Redis, config: ThrottleConfig, client: Client): Promise<Attempt> {
  return guarded(async () => {
    const l = limiters(redis, config)
    const device = trustedDevice(config.secretKey, client.account, client.deviceCookie)
    if (device) {
      const key = hmac(config.secretKey, 'login-device-key', Buffer.from(device, 'hex')).subarray(0, 16).toString('hex')
      const n = await count(l.device, key)
      if (n > l.device.points) {
        if (n === l.device.points + 1) await lock(l, 'device', key)
        return { allowed: false, lockStarted: undefined }
      }
      return { allowed: true, trusted: true, device, delayMs: delayAfter(config, n), keys: { device: key } }
    }
    const network = (hashClient(config, client.ip) ?? Buffer.from('none')).toString('hex')
    const keys = { pair: `${client.account}:${network}`, account: client.account, network }
    const [pair, account, perNetwork] = await Promise.all([
      count(l.pair, keys.pair),
      count(l.account, keys.account),
      count(l.network, keys.network),
    ])
    if (pair <= l.pair.points && account <= l.account.points && perNetwork <= l.network.points) {
      return { allowed: true, trusted: false, device: undefined, delayMs: delayAfter(config, pair), keys }
    }
    // Exactly one attempt sees each count, so exactly one starts each lock.
    let lockStarted: LockScope | undefined
    if (pair === l.pair.points + 1) {
      await lock(l, 'pair', keys.pair)
      lockStarted = 'network'
    }
    if (account === l.account.points + 1) lockStarted = 'account'
    if (lockStarted && !(await claimLockMail(redis, config, client.account, lockStarted))) lockStarted = undefined
    return { allowed: false, lockStarted }
  })
}

/**
 * The password was right: the consecutive counts start over, and the attempt does not count as
 * a failure on the account or the network.
 */
export function attemptSucceeded(redis: Redis, config: ThrottleConfig, attempt: Attempt & { allowed: true }) {
  return guarded(async () => {
    const l = limiters(redis, config)
    const { pair, account, network, device } = attempt.keys
    await Promise.all([
      pair && l.pair.delete(pair),
      device && l.device.delete(device),
      account && l.account.reward(account),
      network && l.network.reward(network),
    ])
  })
}
