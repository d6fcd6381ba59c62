// The key an address is made unique on: "Ann.Lee+petition@GoogleMail.com " and
// "annlee@gmail.com" are the same mailbox and must count once.

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
