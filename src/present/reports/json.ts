// A report as the API shows it (the contract's Report shape).
import type { Locale, ReportTexts } from '../../db/types.ts'
import type { ReportRow } from '../../modules/reports/repository.ts'

type Translations = Partial<Record<Locale, ReportTexts>>

export interface ReportJson {
  id: string
  occurredOn: string
  /** latitude and longitude as published: rounded to 0.1 degree unless exactPoint; null when not given. */
  place: {
    name: string
    province: string
    country: string
    latitude: number | null
    longitude: number | null
    exactPoint: boolean
  }
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
    place: {
      name: r.place_name,
      province: r.province,
      country: r.country,
      latitude: r.latitude,
      longitude: r.longitude,
      exactPoint: r.exact_point,
    },
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
