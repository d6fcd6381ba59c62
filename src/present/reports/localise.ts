// A report's texts in the reader's language: pages, the feed and emails show them so.
import type { Locale, ReportTexts } from '../../db/types.ts'
import { langTag } from '../../locale.ts'
import type { ReportRow } from '../../modules/reports/repository.ts'
import { knownPlace, knownProvince } from '../../place-names.ts'

type Translations = Partial<Record<Locale, ReportTexts>>

/**
 * A place and its province in the reader's language: the organizer's translation, else the name
 * this site knows (provinces of China and North Korea, the demo places), else as written.
 */
export function localisePlace(
  p: { place: string; province: string; country: string },
  translations: Translations,
  locale: Locale,
) {
  return {
    place: translations[locale]?.place?.name || knownPlace(p.place, locale) || p.place,
    province: localiseProvince(p.province, p.country, translations, locale),
  }
}

export function localiseProvince(province: string, country: string, translations: Translations, locale: Locale) {
  return translations[locale]?.place?.province || knownProvince(province, country, locale) || province
}

/** A report's texts in the reader's language where it was translated, else as written. */
export function localiseReport(
  r: Pick<ReportRow, 'summary' | 'place_name' | 'province' | 'country' | 'locale' | 'translations'>,
  locale: Locale,
) {
  // In the language it was written in, a report reads as its organizer wrote it.
  if (r.locale === locale) {
    return { place: r.place_name, province: r.province, summary: r.summary, summaryLang: langTag(r.locale) }
  }
  const tr = r.translations[locale]
  return {
    ...localisePlace({ place: r.place_name, province: r.province, country: r.country }, r.translations, locale),
    summary: tr?.summary || r.summary,
    /** The language the summary is shown in, for its lang attribute. */
    summaryLang: langTag(tr?.summary ? locale : r.locale),
  }
}
