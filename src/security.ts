// Keyed hashes and tokens. Nothing here stores or logs a secret.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  scrypt,
  timingSafeEqual,
} from 'node:crypto'
import ipaddr from 'ipaddr.js'

export function hmac(secret: string, purpose: string, data: string | Buffer): Buffer {
  return createHmac('sha256', secret).update(purpose).update('\0').update(data).digest()
}

export function sha256(data: string): Buffer {
  return createHash('sha256').update(data).digest()
}

/** A keyed hash of an IP address: equal IPs compare equal, the address cannot be read back. */
export function hashIp(secret: string, ip: string | undefined): Buffer | null {
  return ip ? hmac(secret, 'ip', ip).subarray(0, 16) : null
}

/**
 * The network a client is counted by: an IPv4 address itself (also when written IPv4-mapped),
 * an IPv6 address's first `ipv6Prefix` bits, since one customer is handed a whole /64 and can
 * rotate through it. Something that is not an address is returned as it is.
 */
export function clientNetwork(ip: string, ipv6Prefix: number): string {
  if (!ipaddr.isValid(ip)) return ip
  const address = ipaddr.process(ip)
  if (address.kind() === 'ipv4') return address.toString()
  const bytes = address.toByteArray()
  for (let bit = ipv6Prefix; bit < 128; bit++) bytes[bit >> 3]! &= ~(0x80 >> (bit & 7))
  return `${ipaddr.fromByteArray(bytes).toString()}/${ipv6Prefix}`
}

/** A keyed hash of a client's network (see clientNetwork): what every per-client limit and record keys on. */
export function hashClient(config: { secretKey: string; ipv6Prefix: number }, ip: string | undefined): Buffer | null {
  return ip ? hashIp(config.secretKey, clientNetwork(ip, config.ipv6Prefix)) : null
}

/**
 * The Message-ID of one delivery (`outbox:12`, `digest:7`): a MAC of what it delivers, so a retry
 * of that delivery sends the same one, and it gives away no outbox, subscriber or report id.
 */
export function messageId(config: { secretKey: string; publicUrl: string }, delivery: string): string {
  const token = hmac(config.secretKey, 'message-id', delivery).subarray(0, 18).toString('base64url')
  return `<${token}@${new URL(config.publicUrl).hostname}>`
}

/**
 * A confirmation token is a random nonce and a MAC of it. Only the nonce is stored, so a copy of
 * the database cannot confirm anything, and the worker can rebuild the link without storing it.
 */
export function confirmToken(secret: string, purpose: string, nonce: Buffer): string {
  return `${nonce.toString('base64url')}.${hmac(secret, purpose, nonce).subarray(0, 16).toString('base64url')}`
}

/** The nonce of a well-formed token whose MAC verifies, else undefined. */
export function verifyConfirmToken(secret: string, purpose: string, token: string): Buffer | undefined {
  // 16 bytes are 22 base64url characters whose last carries 4 unused bits: only A, Q, g or w
  // leaves them zero, so no other spelling of the same bytes is accepted.
  const match = /^([A-Za-z0-9_-]{21}[AQgw])\.([A-Za-z0-9_-]{21}[AQgw])$/.exec(token)
  if (!match) return undefined
  const nonce = Buffer.from(match[1]!, 'base64url')
  const mac = Buffer.from(match[2]!, 'base64url')
  const expected = hmac(secret, purpose, nonce).subarray(0, 16)
  return nonce.length === 16 && mac.length === 16 && timingSafeEqual(mac, expected) ? nonce : undefined
}

export function randomNonce(): Buffer {
  return randomBytes(16)
}

export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url')
}

// scrypt at OWASP's recommended minimum (N=2^17, r=8, p=1); the string records its parameters.
const SCRYPT = { N: 2 ** 17, r: 8, p: 1, keylen: 32 }

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await scryptAsync(password, salt, SCRYPT)
  return `scrypt$N=${SCRYPT.N},r=${SCRYPT.r},p=${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = /^scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([^$]+)\$([^$]+)$/.exec(stored)
  if (!match) return false
  const expected = Buffer.from(match[5]!, 'base64')
  const key = await scryptAsync(password, Buffer.from(match[4]!, 'base64'), {
    N: Number(match[1]),
    r: Number(match[2]),
    p: Number(match[3]),
    keylen: expected.length,
  })
  return timingSafeEqual(key, expected)
}

function scryptAsync(
  password: string,
  salt: Buffer,
  { N, r, p, keylen }: { N: number; r: number; p: number; keylen: number },
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keylen, { N, r, p, maxmem: 256 * N * r }, (err, key) =>
      err ? reject(err) : resolve(key),
    )
  })
}

/**
 * A request target as a link that cannot leave our origin: its path (and query) with the leading
 * slashes collapsed to one. The raw path may begin `//host` or `/\host` (browsers read a backslash
 * as a slash), which as an href is a link to another site.
 */
export function sameOriginPath(target: string, withQuery = true): string {
  // Parsed first, so what a browser would strip or turn into a slash (tabs, backslashes) already has.
  const url = new URL(target, 'http://origin.invalid')
  const path = url.origin === 'http://origin.invalid' ? url.pathname : `/${url.host}${url.pathname}`
  return `/${path.replace(/^\/+/, '')}${withQuery ? url.search : ''}`
}

/** Whether a client address is this machine's own (127.0.0.0/8, ::1, or IPv4 loopback mapped into IPv6). */
export function isLoopback(ip: string | undefined): boolean {
  if (!ip || !ipaddr.isValid(ip)) return false
  return ipaddr.process(ip).range() === 'loopback'
}

/**
 * Text sealed for a cookie of the reader's own (AES-256-GCM under a key for `purpose`): it can be
 * read back only by us, and only as it was sealed. Undefined for anything else.
 */
export function seal(secret: string, purpose: string, text: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', hmac(secret, 'seal', purpose), iv)
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()])
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')
}

export function unseal(secret: string, purpose: string, sealed: string | undefined): string | undefined {
  if (!sealed || sealed.length > 4096 || !/^[A-Za-z0-9_-]+$/.test(sealed)) return undefined
  const bytes = Buffer.from(sealed, 'base64url')
  if (bytes.length < 28) return undefined
  try {
    const decipher = createDecipheriv('aes-256-gcm', hmac(secret, 'seal', purpose), bytes.subarray(0, 12))
    decipher.setAuthTag(bytes.subarray(12, 28))
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8')
  } catch {
    return undefined
  }
}
