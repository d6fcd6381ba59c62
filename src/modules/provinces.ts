// A report's province in each language it is named in: what a subscriber's province topic is
// matched against, in SQL (fan-out, topics) and in code (digests). Shared by reports, alerts and
// subscribers, so it belongs to none of them.
import { sql } from 'kysely'
import type { Locale, ReportTexts } from '../db/types.ts'
import type { Db } from '../db/index.ts'
import { provinceAliases } from '../place-names.ts'

/**
 * Every name a subscriber's province topic may be stored under that means this report's province:
 * its own and its translations' names, trimmed and lowercased, and each known province's names in
 * every language and spelling (src/place-names.ts). Following "jilin" brings a report written as
 * 지린성 whether or not anyone translated it.
 */
export function provinceMatchKeys(r: {
  province: string
  country: string
  translations: Partial<Record<Locale, ReportTexts>>
}): string[] {
  return [...new Set(provinceNames(r).flatMap((name) => provinceAliases(name, r.country)))]
}

/** provinceMatchKeys of one report, or none when it is gone. */
export async function provinceMatchKeysOf(db: Db, reportId: string): Promise<string[]> {
  const report = await db
    .selectFrom('reports')
    .select(['province', 'country', 'translations'])
    .where('id', '=', reportId)
    .executeTakeFirst()
  return report ? provinceMatchKeys(report) : []
}

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
