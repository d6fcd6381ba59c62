import type { Locale, ReportTexts } from '../../db/types.ts'
import { langTag } from '../../i18n/index.ts'
import type { ReportRow } from './repository.ts'

type Translations = Partial<Record<Locale, ReportTexts>>

export interface ReportJson {
  id: string
  occurredOn: string
  place: { name: string; province: string; country: string }
  peopleCount: number
  kind: string
  summary: string
  locale: Locale
  translations: Translations
  sourceName: string | null
  sourceUrl: string | null
  confidence: string
  campaign: string | null
  status: string
  publishedAt: string | null
  correctionNote: string | null
}

export function toJson(r: ReportRow): ReportJson {
  return {
    id: r.id,
    occurredOn: r.occurred_day,
    place: { name: r.place_name, province: r.province, country: r.country },
    peopleCount: r.people_count,
    kind: r.kind,
    summary: r.summary,
    locale: r.locale,
    translations: r.translations,
    sourceName: r.source_name,
    sourceUrl: r.source_url,
    confidence: r.confidence,
    campaign: r.campaign_slug,
    status: r.status,
    publishedAt: r.published_at ? r.published_at.toISOString() : null,
    correctionNote: r.correction_note,
  }
}

/** A place and its province in the reader's language where an organizer translated them. */
export function localisePlace(p: { place: string; province: string }, translations: Translations, locale: Locale) {
  return { place: translations[locale]?.place?.name || p.place, province: localiseProvince(p.province, translations, locale) }
}

/** The report's province in its own language and in each translation that names it. */
export function provinceNames(r: Pick<ReportRow, 'province' | 'translations'>): string[] {
  return [r.province, ...Object.values(r.translations).flatMap((tr) => (tr?.place?.province ? [tr.place.province] : []))]
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
