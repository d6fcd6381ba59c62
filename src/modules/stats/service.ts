// A campaign's public figures: how many signed, from where, and when. The one rule here is that
// no small group is singled out: a country with fewer than MIN_COUNTRY_COUNT counted signatures
// is folded into "other", so nobody can learn that the one signer from a country signed.
import type { Db } from '../../db/index.ts'
import type { CampaignRow } from '../campaigns/repository.ts'
import * as stats from './repository.ts'

export const MIN_COUNTRY_COUNT = 10
export const OTHER_COUNTRIES = 'other'

export interface CampaignStats {
  signatureCount: number
  /** Largest first, "other" last whatever its size. */
  byCountry: { country: string; count: number }[]
  /** Counted signatures per hour of confirmation, oldest first; hours without any are left out. */
  timeline: { at: Date; count: number }[]
}

export async function campaignStats(db: Db, campaign: CampaignRow): Promise<CampaignStats> {
  const [countries, hours] = await Promise.all([
    stats.confirmedByCountry(db, campaign.id),
    stats.confirmedByHour(db, campaign.id),
  ])
  return {
    signatureCount: Number(campaign.signature_count),
    byCountry: foldSmallCountries(countries),
    timeline: hours.map((h) => ({ at: new Date(h.at), count: h.count })),
  }
}

export function foldSmallCountries(rows: readonly { country: string; count: number }[]) {
  const shown = rows.filter((r) => r.count >= MIN_COUNTRY_COUNT)
  shown.sort((a, b) => b.count - a.count || a.country.localeCompare(b.country))
  const other = rows.filter((r) => r.count < MIN_COUNTRY_COUNT).reduce((sum, r) => sum + r.count, 0)
  const byCountry = shown.map((r) => ({ country: r.country, count: r.count }))
  if (other > 0) byCountry.push({ country: OTHER_COUNTRIES, count: other })
  return byCountry
}
