// The languages the site speaks, and reading one from a stored or asked-for string: a leaf that
// modules may import (the message catalogs in src/i18n are presentation, this is not).
import type { Locale } from './db/types.ts'

export type { Locale }
export const locales: readonly Locale[] = ['en', 'ko', 'zh']
export const defaultLocale: Locale = 'en'
// BCP 47 tags for <html lang> and Intl.
const tags: Record<Locale, string> = { en: 'en', ko: 'ko', zh: 'zh-Hans' }

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value)
}

export function toLocale(value: unknown): Locale | undefined {
  if (typeof value !== 'string') return undefined
  const primary = value.trim().toLowerCase().split(/[-_]/)[0]
  return isLocale(primary) ? primary : undefined
}

export function langTag(locale: Locale): string {
  return tags[locale]
}

/**
 * A link for an email: it opens in the recipient's language on any device, whatever cookie or
 * Accept-Language that device sends (?lang= comes first, plugins/locale.ts).
 */
export function inLanguage(url: string, locale: Locale): string {
  const hash = url.indexOf('#')
  const [base, fragment] = hash < 0 ? [url, ''] : [url.slice(0, hash), url.slice(hash)]
  return `${base}${base.includes('?') ? '&' : '?'}lang=${locale}${fragment}`
}
