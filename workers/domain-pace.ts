// MAIL_DOMAIN_PER_MINUTE: the mail queue writes to one recipient domain at most so many times a
// minute, so that nobody can make us flood a domain (and our sending reputation with it) by
// typing many addresses at it. Large shared providers (gmail.com, naver.com...) are not capped:
// see isSharedProvider. Counted in Redis under a keyed hash of the domain, since a family's own
// domain can name a person.
import type { Redis } from 'ioredis'
import type { Config } from '../src/config.ts'
import { isSharedProvider } from '../src/modules/email-key.ts'
import { hmac } from '../src/security.ts'
import type { DomainPacer } from '../src/modules/messages/service.ts'

const WINDOW_MS = 60_000

// One atomic step, so that concurrent sends to one domain cannot all read a count under the cap.
// The window starts with its first email and ends a minute later; returns the count and the
// milliseconds left in the window.
const count = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}
`

/** A pacer over `redis`; undefined when MAIL_DOMAIN_PER_MINUTE is 0 (no cap). */
export function domainPacer(redis: Redis, config: Config): DomainPacer | undefined {
  const cap = config.mailDomainPerMinute
  if (cap === 0) return undefined
  return async (domain) => {
    if (isSharedProvider(domain)) return undefined
    const key = `${config.queuePrefix}:mail-pace:${hmac(config.secretKey, 'mail-domain', domain).subarray(0, 16).toString('hex')}`
    const [n, ttl] = (await redis.eval(count, 1, key, WINDOW_MS)) as [number, number]
    if (n <= cap) return undefined
    // The next window, spread over its first seconds so the waiting ones do not all arrive at once.
    return ttl + Math.floor(Math.random() * 10_000)
  }
}
