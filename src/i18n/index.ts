// Message catalogs and language negotiation. Every user-facing string goes through t().
import { en, type Catalog, type MessageKey } from './en.ts'
import { ko } from './ko.ts'
import { zh } from './zh.ts'
import type { Locale } from '../db/types.ts'

export type { Locale, MessageKey }
export const locales: readonly Locale[] = ['en', 'ko', 'zh']
export const defaultLocale: Locale = 'en'
const catalogs: Record<Locale, Catalog> = { en, ko, zh }
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

/** Picks the best of our locales from an Accept-Language header, by q-value. */
export function negotiate(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return defaultLocale
  const ranked = acceptLanguage
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
      const quality = q ? Number(q.slice(2)) : 1
      return { tag, quality: Number.isFinite(quality) ? quality : 0, index }
    })
    .filter((r) => r.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index)
  for (const { tag } of ranked) {
    const locale = toLocale(tag)
    if (locale) return locale
  }
  return defaultLocale
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string

export function translator(locale: Locale): Translate {
  const catalog = catalogs[locale]
  return (key, params) => {
    const text = catalog[key] ?? en[key]
    if (!params) return text
    return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m))
  }
}

export function langTag(locale: Locale): string {
  return tags[locale]
}

export function languageName(locale: Locale): string {
  return catalogs[locale]['lang.name']
}

const numberFormats = new Map(locales.map((l) => [l, new Intl.NumberFormat(tags[l])]))
const dateFormats = new Map(
  locales.map((l) => [l, new Intl.DateTimeFormat(tags[l], { dateStyle: 'long', timeZone: 'UTC' })]),
)

export function formatNumber(locale: Locale, n: number | string): string {
  return numberFormats.get(locale)!.format(Number(n))
}

export function formatDate(locale: Locale, d: Date): string {
  return dateFormats.get(locale)!.format(d)
}
