// What search engines may read, and the addresses a public page is known by: one list of private
// paths, shared by robots.txt (routes/crawl.ts) and the layouts' canonical and hreflang links
// (plugins/locale.ts), so a page that robots.txt hides never names itself canonical.
import { locales, type Locale } from './locale.ts'

// Console, API, token links from emails (a token in an address is a key), the thanks page and the
// development outbox: nothing a stranger should find through a search engine.
export const PRIVATE_PATHS: readonly string[] = [
  '/admin',
  '/api/',
  '/confirm/',
  '/alerts/confirm/',
  '/alerts/preferences/',
  '/u/',
  '/privacy/erase',
  '/dev/',
  '/campaigns/*/thanks',
  // A campaign's share page says nothing its page does not.
  '/campaigns/*/share',
]

const privatePattern = new RegExp(
  `^(?:${PRIVATE_PATHS.map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]+')).join('|')})`,
)

export function isPrivatePath(path: string): boolean {
  return privatePattern.test(path)
}

/** Where the layouts link the icon (routes/crawl.ts serves it). */
export const FAVICON_URL = '/favicon.svg'

export const ROBOTS_TXT = ['User-agent: *', ...PRIVATE_PATHS.map((p) => `Disallow: ${p}`), 'Allow: /', ''].join('\n')

export type PageAddresses = {
  canonical: string
  alternates: { hreflang: string; href: string }[]
}

/**
 * A public page's own address in its language and its alternates in each (x-default: no ?lang=,
 * the reader's language is negotiated), absolute from PUBLIC_URL; none for a private page.
 */
export function pageAddresses(publicUrl: string, path: string, locale: Locale): PageAddresses | null {
  if (isPrivatePath(path)) return null
  const at = (l: Locale) => `${publicUrl}${path}?lang=${l}`
  return {
    canonical: at(locale),
    alternates: [
      ...locales.map((l) => ({ hreflang: l, href: at(l) })),
      { hreflang: 'x-default', href: `${publicUrl}${path}` },
    ],
  }
}
