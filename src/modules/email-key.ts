// The key an address is made unique on: "Ann.Lee+petition@GoogleMail.com " and
// "annlee@gmail.com" are the same mailbox and must count once.
import { hmac } from '../security.ts'

// Providers that deliver user+tag@ to user@ (sub-addressing).
const plusTagDomains = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'fastmail.com',
  'fastmail.fm',
  'proton.me',
  'protonmail.com',
  'pm.me',
  'yandex.ru',
  'yandex.com',
  'naver.com',
  'daum.net',
  'qq.com',
  '163.com',
])
// Providers that ignore dots in the local part.
const dotlessDomains = new Set(['gmail.com', 'googlemail.com'])
const domainAliases: Record<string, string> = { 'googlemail.com': 'gmail.com' }

export function emailKey(address: string): string {
  const trimmed = address.trim().toLowerCase()
  const at = trimmed.lastIndexOf('@')
  let local = trimmed.slice(0, at)
  let domain = trimmed.slice(at + 1).replace(/\.$/, '')
  if (plusTagDomains.has(domain)) local = local.split('+')[0]!
  if (dotlessDomains.has(domain)) local = local.replaceAll('.', '')
  domain = domainAliases[domain] ?? domain
  return `${local}@${domain}`
}

/**
 * A keyed hash of an address's key (HMAC under SECRET_KEY): what a bounce or complaint keeps of
 * the address once it is erased, so that we can still tell it apart and never write to it.
 */
export function addressHash(secret: string, key: string): Buffer {
  return hmac(secret, 'suppressed-address', key)
}

/**
 * The inbox an address reaches, for the email cooldown only: its key with any +tag dropped on
 * every domain, since most mail servers deliver victim+1@ and victim+2@ to victim@. Not a
 * uniqueness key: on a domain we do not know, victim+1@ may truly be someone else.
 */
export function baseMailbox(address: string): string {
  const key = emailKey(address)
  const at = key.lastIndexOf('@')
  return `${key.slice(0, at).split('+')[0]}${key.slice(at)}`
}

// Large shared mail providers. They run their own abuse limits, and a flood of one of their
// inboxes is what the per-mailbox cooldown stops; a per-domain cap on them would only delay a
// viral campaign's confirmations (a thousand signers a minute at gmail.com) by hours.
const sharedProviders = new Set([
  ...plusTagDomains,
  'yahoo.com',
  'yahoo.co.jp',
  'aol.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  'mail.ru',
  'hanmail.net',
  'kakao.com',
  'nate.com',
  '126.com',
  'sina.com',
  'sohu.com',
  'foxmail.com',
])

/** Whether a domain is one of the large shared providers (see above). */
export function isSharedProvider(domain: string): boolean {
  return sharedProviders.has(domain)
}

/** The domain an address is delivered to, lowercased: not personal data, unlike the address. */
export function mailDomain(address: string): string {
  const key = emailKey(address)
  return key.slice(key.lastIndexOf('@') + 1)
}
