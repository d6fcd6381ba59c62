// A report's province in each language it is named in: what a subscriber's province topic is
// matched against, in SQL (fan-out, topics) and in code (digests). Shared by reports, alerts and
// subscribers, so it belongs to none of them.
import { sql } from 'kysely'
import type { Locale, ReportTexts } from '../db/types.ts'
import { locales } from '../locale.ts'

/**
 * A report's province in its own language and in each translation, trimmed and lowercased, one
 * row each: what a subscriber's province topic is matched against, so that following "jilin"
 * also brings a report written as 지린성 whose English translation says Jilin.
 */
export const provinceKeys = sql<string>`unnest(array[lower(trim(reports.province)), ${sql.join(
  locales.map((l) => sql`lower(trim(${translatedProvince(l)}))`),
)}])`

/** The province as a report's translation into `locale` names it, or null. */
export function translatedProvince(locale: Locale) {
  return sql<string | null>`reports.translations #>> ${sql.lit(`{${locale},place,province}`)}`
}

/** The report's province in its own language and in each translation that names it. */
export function provinceNames(r: { province: string; translations: Partial<Record<Locale, ReportTexts>> }): string[] {
  return [
    r.province,
    ...Object.values(r.translations).flatMap((tr) => (tr?.place?.province ? [tr.place.province] : [])),
  ]
}
