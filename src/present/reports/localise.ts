// A report's texts in the reader's language: pages, the feed and emails show them so.
import type { Locale, ReportTexts } from '../../db/types.ts'
import { langTag } from '../../locale.ts'
import type { ReportRow } from '../../modules/reports/repository.ts'
import type { Translate } from '../../i18n/index.ts'
import { knownPlace, knownProvince } from '../../place-names.ts'
import { xmlEscape } from './escape.ts'

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

/**
 * A report's texts in the reader's language where it was translated, else as written. A name
 * left as written carries its language (`placeLang`, `provinceLang`: undefined when the name is in
 * the reader's), so that a page or email can mark it with `lang` and set it apart ("Yanji (Jilin)"
 * in a Chinese email, never "JilinYanji").
 */
export function localiseReport(
  r: Pick<ReportRow, 'summary' | 'place_name' | 'province' | 'country' | 'locale' | 'translations'>,
  locale: Locale,
) {
  // In the language it was written in, a report reads as its organizer wrote it.
  if (r.locale === locale) {
    return {
      place: r.place_name,
      province: r.province,
      placeLang: undefined,
      provinceLang: undefined,
      summary: r.summary,
      summaryLang: langTag(r.locale),
    }
  }
  const tr = r.translations[locale]
  const names = localisePlace({ place: r.place_name, province: r.province, country: r.country }, r.translations, locale)
  const asWritten = (shown: string, written: string) => (shown === written ? langTag(r.locale) : undefined)
  return {
    ...names,
    placeLang: asWritten(names.place, r.place_name),
    provinceLang: asWritten(names.province, r.province),
    summary: tr?.summary || r.summary,
    /** The language the summary is shown in, for its lang attribute. */
    summaryLang: langTag(tr?.summary ? locale : r.locale),
  }
}

type Where = { place: string; province: string; placeLang?: string | undefined; provinceLang?: string | undefined }

/** Where a report happened, in the tracker's words ("Yanji, Jilin"; "延吉（吉林）"). */
export function whereText(t: Translate, w: Where): string {
  return t('tracker.where', { place: w.place, province: w.province })
}

// Stand-ins that survive escaping, replaced by the marked names after it.
const PLACE = '\uE000'
const PROVINCE = '\uE001'

/** whereText as HTML, each name left as written marked by its `lang`; everything escaped. */
export function whereHtml(t: Translate, w: Where): string {
  const mark = (name: string, lang: string | undefined) =>
    lang ? `<span lang="${xmlEscape(lang)}">${xmlEscape(name)}</span>` : xmlEscape(name)
  return xmlEscape(t('tracker.where', { place: PLACE, province: PROVINCE }))
    .replace(PLACE, () => mark(w.place, w.placeLang))
    .replace(PROVINCE, () => mark(w.province, w.provinceLang))
}
