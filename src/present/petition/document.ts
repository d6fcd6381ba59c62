// The petition as the target reads it, in the target's language: the campaign's texts (its
// translation where one exists), the count, the counts by country with small ones folded into
// "other countries" as the public figures are, and the names and comments signers chose to show.
import MarkdownIt from 'markdown-it'
import { countryName } from '../../i18n/countries.ts'
import { formatDate, translator, type Locale } from '../../i18n/index.ts'
import type { CampaignRow } from '../../modules/campaigns/repository.ts'
import type { PetitionSnapshot } from '../../modules/petition-delivery/service.ts'
import { MIN_COUNTRY_COUNT, OTHER_COUNTRIES } from '../../modules/stats/service.ts'

const markdown = new MarkdownIt({ html: false })

/** A Markdown body as plain paragraphs: the PDF has no links or emphasis to show. */
export function plainParagraphs(body: string): string[] {
  const out: string[] = []
  for (const token of markdown.parse(body, {})) {
    if (token.type !== 'inline') continue
    const text = (token.children ?? [])
      .map((c) => (c.type === 'text' || c.type === 'code_inline' ? c.content : c.type.endsWith('break') ? '\n' : ''))
      .join('')
      .trim()
    if (text) out.push(text)
  }
  return out
}

export interface PetitionDocument {
  locale: Locale
  title: string
  summary: string
  paragraphs: string[]
  asks: string[]
  count: number
  byCountry: { name: string; count: number }[]
  signers: { name: string; country: string; countryName: string; comment: string | null; signedAt: Date }[]
  target: { name: string; organisation: string }
  deliveredOn: string
  site: string
  /** Countries under this many signatures are folded into "other". */
  minCountry: number
}

export function petitionDocument(
  campaign: CampaignRow,
  snapshot: PetitionSnapshot,
  target: { name: string; organisation: string },
  locale: Locale,
  site: string,
  now = new Date(),
): PetitionDocument {
  const t = translator(locale)
  const tr = campaign.locale === locale ? undefined : campaign.translations[locale]
  return {
    locale,
    title: tr?.title || campaign.title,
    summary: tr?.summary || campaign.summary,
    paragraphs: plainParagraphs(tr?.body || campaign.body),
    asks: tr?.asks?.length ? tr.asks : campaign.asks,
    count: snapshot.signatureCount,
    byCountry: snapshot.byCountry.map((c) => ({
      name: c.country === OTHER_COUNTRIES ? t('figures.other') : countryName(locale, c.country.trim()),
      count: c.count,
    })),
    signers: snapshot.signers.map((s) => ({
      name: s.name,
      country: s.country.trim(),
      countryName: countryName(locale, s.country.trim()),
      comment: s.comment,
      signedAt: s.confirmed_at ?? now,
    })),
    target,
    deliveredOn: formatDate(locale, now),
    site,
    minCountry: MIN_COUNTRY_COUNT,
  }
}
