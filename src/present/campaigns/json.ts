// A campaign as the API shows it (the contract's Campaign shape), with the public side of its
// targets: never a target's email or postal address.
import type { Db } from '../../db/index.ts'
import { locales } from '../../locale.ts'
import type { CampaignRow } from '../../modules/campaigns/repository.ts'
import { letterOf, type Letter } from '../../modules/letters/templates.ts'
import { publicTargets, type PublicTarget } from '../../modules/targets/service.ts'

export interface CampaignTargetJson {
  id: string
  name: string
  title: string | null
  organisation: string
  country: string
  locale: string
}

export interface CampaignJson {
  slug: string
  title: string
  summary: string
  target: string
  asks: string[]
  goal: number
  deadline: string | null
  status: string
  signatureCount: number
  locale: string
  targets: CampaignTargetJson[]
  /** The letter to the targets, per language: public text. Shown for one campaign, not in lists. */
  letter?: Letter
  /**
   * The origins that may frame its embeddable form. Shown for one campaign, not in lists; public
   * anyway, as the embed's Content-Security-Policy names them.
   */
  embedOrigins?: string[]
}

// Field by field, so a column added to the public select is not published by accident.
const targetJson = (t: PublicTarget): CampaignTargetJson => ({
  id: t.id,
  name: t.name,
  title: t.title,
  organisation: t.organisation,
  country: t.country,
  locale: t.locale,
})

export function toJson(c: CampaignRow, targets: readonly PublicTarget[]): CampaignJson {
  return {
    slug: c.slug,
    title: c.title,
    summary: c.summary,
    target: c.target,
    asks: c.asks,
    goal: c.goal,
    deadline: c.deadline ? c.deadline.toISOString() : null,
    status: c.status,
    signatureCount: Number(c.signature_count),
    locale: c.locale,
    targets: targets.map(targetJson),
  }
}

/** Campaigns as the API shows them, their targets read in one query. */
export async function campaignsJson(db: Db, rows: readonly CampaignRow[]): Promise<CampaignJson[]> {
  const targets = await publicTargets(
    db,
    rows.map((c) => c.id),
  )
  return rows.map((c) => toJson(c, targets.get(c.id) ?? []))
}

/** One campaign, with its letter. */
export async function campaignJson(db: Db, row: CampaignRow): Promise<CampaignJson> {
  const [json, letter] = await Promise.all([campaignsJson(db, [row]), letterOf(db, row.id)])
  // In the languages' order, whatever order they were written in.
  return {
    ...json[0]!,
    letter: Object.fromEntries(locales.filter((l) => letter[l]).map((l) => [l, letter[l]])),
    embedOrigins: row.embed_origins,
  }
}
