// Message catalogs and language negotiation. Every user-facing string goes through t().
import type { Locale } from '../db/types.ts'
import { alertMessages } from './alerts.ts'
import { consoleMessages } from './console.ts'
import { en as commonEn } from './en.ts'
import { erasureMessages } from './erasure.ts'
import { ko as commonKo } from './ko.ts'
import { trackerMessages } from './tracker.ts'
import { zh as commonZh } from './zh.ts'

// One catalog per language: the common messages (en.ts, ko.ts, zh.ts) and each feature area's.
const en = { ...commonEn, ...alertMessages.en, ...consoleMessages.en, ...trackerMessages.en, ...erasureMessages.en }
export type MessageKey = keyof typeof en
type Catalog = Record<MessageKey, string>
export const catalogs: Record<Locale, Catalog> = {
  en,
  ko: { ...commonKo, ...alertMessages.ko, ...consoleMessages.ko, ...trackerMessages.ko, ...erasureMessages.ko },
  zh: { ...commonZh, ...alertMessages.zh, ...consoleMessages.zh, ...trackerMessages.zh, ...erasureMessages.zh },
}

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
