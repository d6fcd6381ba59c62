// What a campaign may hold, for every way it is written (the API's JSON, the console's forms).
export const CAMPAIGN_LIMITS = {
  title: 200,
  summary: 500,
  body: 50_000,
  target: 200,
  ask: 500,
  asks: 20,
  goal: 100_000_000,
} as const

/** A campaign's address: lowercase letters, digits and hyphens, 3 to 80, not starting with a hyphen. */
export const SLUG_FORMAT = /^[a-z0-9][a-z0-9-]{2,79}$/

/** Origins a campaign's embed may be framed by: at most this many. */
export const EMBED_ORIGINS_MAX = 20

/**
 * An origin as a page's Content-Security-Policy frame-ancestors may name it: http or https, a host
 * (letters, digits, dots, hyphens; no wildcard) and an optional port, nothing else (a trailing
 * slash is forgiven). The origin in its one spelling, or undefined.
 */
export function embedOrigin(text: string): string | undefined {
  const match = /^(https?):\/\/([a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?)(?::(\d{1,5}))?\/?$/i.exec(text.trim())
  if (!match) return undefined
  let url: URL
  try {
    url = new URL(`${match[1]}://${match[2]}${match[3] ? `:${match[3]}` : ''}`)
  } catch {
    return undefined
  }
  if (url.hostname.includes('..') || Number(match[3] ?? 1) > 65535) return undefined
  return url.origin
}
