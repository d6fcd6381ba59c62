// Message catalogs and language negotiation. Every user-facing string goes through t().
import { defaultLocale, langTag, locales, toLocale, type Locale } from '../locale.ts'
import { alertMessages } from './alerts.ts'
import { botMessages } from './bots.ts'
import { confirmMessages } from './confirm.ts'
import { consoleMessages } from './console.ts'
import { dashboardMessages } from './dashboard.ts'
import { en as commonEn } from './en.ts'
import { erasureMessages } from './erasure.ts'
import { embedMessages } from './embed.ts'
import { errorMessages } from './errors.ts'
import { importMessages } from './imports.ts'
import { journeyMessages } from './journeys.ts'
import { letterSendMessages } from './letter-send.ts'
import { ko as commonKo } from './ko.ts'
import { letterMessages } from './letters.ts'
import { mapMessages } from './map.ts'
import { operateMessages } from './operate.ts'
import { petitionMessages } from './petition.ts'
import { letterQueueMessages } from './letter-queue.ts'
import { reachMessages } from './reach.ts'
import { reviewMessages } from './review.ts'
import { riskyMessages } from './risky.ts'
import { searchMessages } from './search.ts'
import { shareMessages } from './share.ts'
import { siteMessages } from './site.ts'
import { trackerMessages } from './tracker.ts'
import { updateMessages } from './updates.ts'
import { webhookMessages } from './webhooks.ts'
import { zh as commonZh } from './zh.ts'

// One catalog per language: the common messages (en.ts, ko.ts, zh.ts) and each feature area's.
const en = {
  ...commonEn,
  ...alertMessages.en,
  ...confirmMessages.en,
  ...consoleMessages.en,
  ...trackerMessages.en,
  ...erasureMessages.en,
  ...errorMessages.en,
  ...botMessages.en,
  ...reviewMessages.en,
  ...letterMessages.en,
  ...journeyMessages.en,
  ...updateMessages.en,
  ...letterSendMessages.en,
  ...reachMessages.en,
  ...operateMessages.en,
  ...importMessages.en,
  ...shareMessages.en,
  ...siteMessages.en,
  ...embedMessages.en,
  ...webhookMessages.en,
  ...mapMessages.en,
  ...riskyMessages.en,
  ...petitionMessages.en,
  ...searchMessages.en,
  ...letterQueueMessages.en,
  ...dashboardMessages.en,
}
export type MessageKey = keyof typeof en
type Catalog = Record<MessageKey, string>
export const catalogs: Record<Locale, Catalog> = {
  en,
  ko: {
    ...commonKo,
    ...alertMessages.ko,
    ...confirmMessages.ko,
    ...consoleMessages.ko,
    ...trackerMessages.ko,
    ...erasureMessages.ko,
    ...errorMessages.ko,
    ...botMessages.ko,
    ...reviewMessages.ko,
    ...letterMessages.ko,
    ...journeyMessages.ko,
    ...updateMessages.ko,
    ...letterSendMessages.ko,
    ...reachMessages.ko,
    ...operateMessages.ko,
    ...importMessages.ko,
    ...shareMessages.ko,
    ...siteMessages.ko,
    ...embedMessages.ko,
    ...webhookMessages.ko,
    ...mapMessages.ko,
    ...riskyMessages.ko,
    ...petitionMessages.ko,
    ...searchMessages.ko,
    ...letterQueueMessages.ko,
    ...dashboardMessages.ko,
  },
  zh: {
    ...commonZh,
    ...alertMessages.zh,
    ...confirmMessages.zh,
    ...consoleMessages.zh,
    ...trackerMessages.zh,
    ...erasureMessages.zh,
    ...errorMessages.zh,
    ...botMessages.zh,
    ...reviewMessages.zh,
    ...letterMessages.zh,
    ...journeyMessages.zh,
    ...updateMessages.zh,
    ...letterSendMessages.zh,
    ...reachMessages.zh,
    ...operateMessages.zh,
    ...importMessages.zh,
    ...shareMessages.zh,
    ...siteMessages.zh,
    ...embedMessages.zh,
    ...webhookMessages.zh,
    ...mapMessages.zh,
    ...riskyMessages.zh,
    ...petitionMessages.zh,
    ...searchMessages.zh,
    ...letterQueueMessages.zh,
    ...dashboardMessages.zh,
  },
}

export { defaultLocale, isLocale, langTag, locales, toLocale, type Locale } from '../locale.ts'

// Browsers send a few Accept-Language headers over and over: each is ranked once, the answer kept
// (a bounded memo: past NEGOTIATED_MAX distinct headers it starts again; a header longer than any
// browser's is ranked every time).
const NEGOTIATED_MAX = 1000
const negotiated = new Map<string, Locale>()

/** Picks the best of our locales from an Accept-Language header, by q-value. */
export function negotiate(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return defaultLocale
  if (acceptLanguage.length > 200) return rank(acceptLanguage)
  let locale = negotiated.get(acceptLanguage)
  if (locale === undefined) {
    if (negotiated.size >= NEGOTIATED_MAX) negotiated.clear()
    locale = rank(acceptLanguage)
    negotiated.set(acceptLanguage, locale)
  }
  return locale
}

function rank(acceptLanguage: string): Locale {
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

export function languageName(locale: Locale): string {
  return catalogs[locale]['lang.name']
}

const numberFormats = new Map(locales.map((l) => [l, new Intl.NumberFormat(langTag(l))]))
const dateFormats = new Map(
  locales.map((l) => [l, new Intl.DateTimeFormat(langTag(l), { dateStyle: 'long', timeZone: 'UTC' })]),
)

export function formatNumber(locale: Locale, n: number | string): string {
  return numberFormats.get(locale)!.format(Number(n))
}

export function formatDate(locale: Locale, d: Date): string {
  return dateFormats.get(locale)!.format(d)
}

const momentFormats = new Map(
  locales.map((l) => [
    l,
    new Intl.DateTimeFormat(langTag(l), {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone: 'UTC',
      timeZoneName: 'short',
    }),
  ]),
)

/** A date with its time, in UTC and saying so: when a link stops working. */
export function formatMoment(locale: Locale, d: Date): string {
  return momentFormats.get(locale)!.format(d)
}

// At most three languages times some 420 zones, and only the zones organizers chose.
const zonedFormats = new Map<string, Intl.DateTimeFormat>()

/** A moment in an organizer's own time zone, saying which ("7 Dec 2026, 21:45 GMT+9"). */
export function formatZonedTime(locale: Locale, timeZone: string, d: Date): string {
  const key = `${locale} ${timeZone}`
  let format = zonedFormats.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(langTag(locale), {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone,
      timeZoneName: 'short',
    })
    zonedFormats.set(key, format)
  }
  return format.format(d)
}
