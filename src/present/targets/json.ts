// A target as organizers get it from the API (the contract's Target), email included. The public
// never gets this shape: a campaign shows its targets through present/campaigns/json.ts.
import type { TargetRow } from '../../modules/targets/service.ts'

export interface TargetJson {
  id: string
  name: string
  title: string | null
  organisation: string
  country: string
  locale: string
  email: string | null
  postalAddress: string | null
  website: string | null
  platformOnly: boolean
}

export function targetToJson(t: TargetRow): TargetJson {
  return {
    id: t.id,
    name: t.name,
    title: t.title,
    organisation: t.organisation,
    country: t.country.trim(),
    locale: t.locale,
    email: t.email,
    postalAddress: t.postal_address,
    website: t.website,
    platformOnly: t.platform_only,
  }
}
