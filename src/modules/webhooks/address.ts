// Server-side request forgery: a webhook URL must not reach this machine, the private network or
// a cloud's metadata service. Checked here at registration (every address the name resolves to),
// and again when sending, at connect time, by the HTTP agent (post.ts): DNS can change.
import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import ipaddr from 'ipaddr.js'
import type { FieldMessage } from '../../errors.ts'

/**
 * A public unicast address: not loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7),
 * link-local (169.254/16 with the metadata service, fe80::/10), carrier-grade NAT, multicast,
 * reserved or unspecified, nor IPv4 mapped into IPv6. The same rule as request-filtering-agent's.
 */
export function isPublicAddress(address: string): boolean {
  try {
    return ipaddr.parse(address).range() === 'unicast'
  } catch {
    return false
  }
}

/** Why a URL's host may not be called, or undefined when it may. */
export async function refusedHost(url: URL, allowPrivate: boolean): Promise<FieldMessage | undefined> {
  if (allowPrivate) return undefined
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  if (isIP(host)) return isPublicAddress(host) ? undefined : 'webhooks.error.private'
  let addresses: { address: string }[]
  try {
    addresses = await lookup(host, { all: true, verbatim: true })
  } catch {
    return 'webhooks.error.unresolvable'
  }
  if (addresses.length === 0) return 'webhooks.error.unresolvable'
  return addresses.every((a) => isPublicAddress(a.address)) ? undefined : 'webhooks.error.private'
}
