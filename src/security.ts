// Keyed hashes and tokens. Nothing here stores or logs a secret.
import { createHash, createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

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
