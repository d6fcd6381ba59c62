// A report's texts in the reader's language: pages, the feed and emails show them so.
import type { Locale, ReportTexts } from '../../db/types.ts'
import { langTag } from '../../locale.ts'
import type { ReportRow } from '../../modules/reports/repository.ts'

type Translations = Partial<Record<Locale, ReportTexts>>

/** A place and its province in the reader's language where an organizer translated them. */
export function localisePlace(p: { place: string; province: string }, translations: Translations, locale: Locale) {
  return {
    place: translations[locale]?.place?.name || p.place,
    province: localiseProvince(p.province, translations, locale),
  }
}

export function localiseProvince(province: string, translations: Translations, locale: Locale) {
  return translations[locale]?.place?.province || province
}

/** A report's texts in the reader's language where an organizer translated them, else as written. */
export function localiseReport(
  r: Pick<ReportRow, 'summary' | 'place_name' | 'province' | 'locale' | 'translations'>,
  locale: Locale,
) {
  const translations = r.locale === locale ? {} : r.translations
  const tr = translations[locale]
  return {
    ...localisePlace({ place: r.place_name, province: r.province }, translations, locale),
    summary: tr?.summary || r.summary,
    /** The language the summary is shown in, for its lang attribute. */
    summaryLang: langTag(tr?.summary ? locale : r.locale),
  }
}
