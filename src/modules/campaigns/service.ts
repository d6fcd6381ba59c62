import { randomBytes } from 'node:crypto'
import type { Db } from '../../db/index.ts'
import type { CampaignStatus } from '../../db/types.ts'
import { AppError, notFound } from '../../errors.ts'
import { record, type Actor } from '../audit/service.ts'
import { forgetCampaignPage } from './page-data.ts'
import * as campaigns from './repository.ts'

export interface CampaignInput {
  slug?: string | undefined
  title: string
  summary: string
  body: string
  target: string
  asks: string[]
  goal: number
  deadline?: Date | null | undefined
  locale?: string | undefined
  translations?: Record<string, unknown> | undefined
}

/** A URL slug from a title; titles in Korean or Chinese fall back to a random one. */
export function slugify(title: string): string {
  const ascii = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
  return ascii.length >= 3 ? ascii : `campaign-${randomBytes(4).toString('hex')}`
}

/** With an actor, the creation is audited in the same transaction. */
export async function createCampaign(db: Db, organizerId: string | null, input: CampaignInput, actor?: Actor) {
  const slug = input.slug ?? slugify(input.title)
  const row = await db.transaction().execute(async (trx) => {
    const created = await campaigns.insert(trx, {
      slug,
      title: input.title,
      summary: input.summary,
      body: input.body,
      target: input.target,
      asks: input.asks,
      goal: input.goal,
      deadline: input.deadline ?? null,
      locale: input.locale ?? 'en',
      translations: input.translations ?? {},
      createdBy: organizerId,
    })
    if (created && actor) await record(trx, actor, 'campaign.create', { type: 'campaign', id: created.id }, { slug })
    return created
  })
  if (!row) throw new AppError('slug_taken', undefined, { slug: 'is already used by another campaign' })
  return row
}

export async function launchCampaign(db: Db, slug: string, actor?: Actor) {
  const current = await campaigns.findBySlug(db, slug)
  if (!current) throw notFound()
  if (current.status === 'live') throw new AppError('conflict', 'The campaign is already live.')
  if (current.deadline && current.deadline.getTime() <= Date.now()) {
    throw new AppError('conflict', 'The deadline has passed; set a later deadline first.', {
      deadline: 'is in the past',
    })
  }
  const row = await changeStatus(db, slug, ['draft', 'closed'], 'live', actor, 'campaign.launch')
  if (!row) throw new AppError('conflict', 'The campaign changed state meanwhile; try again.')
  forgetCampaignPage(slug)
  return row
}

/** A status change and its audit entry, together or not at all. */
export function changeStatus(
  db: Db,
  slug: string,
  from: CampaignStatus[],
  to: CampaignStatus,
  actor: Actor | undefined,
  action: string,
) {
  return db.transaction().execute(async (trx) => {
    const row = await campaigns.setStatus(trx, slug, from, to)
    if (row && actor) await record(trx, actor, action, { type: 'campaign', id: row.id }, { slug, status: to })
    return row
  })
}

export async function closeCampaign(db: Db, slug: string, actor?: Actor) {
  const current = await campaigns.findBySlug(db, slug)
  if (!current) throw notFound()
  const row = await changeStatus(db, slug, ['live', 'draft'], 'closed', actor, 'campaign.close')
  if (!row) throw new AppError('conflict', 'The campaign is already closed.')
  forgetCampaignPage(slug)
  return row
}

/** The public may see live and closed campaigns; a draft does not exist for them. */
export async function findPublicCampaign(db: Db, slug: string) {
  const row = await campaigns.findBySlug(db, slug)
  if (!row || row.status === 'draft') throw notFound()
  return row
}

export const listLiveCampaigns = campaigns.listLive
export async function closeExpiredCampaigns(db: Db) {
  const slugs = await campaigns.closeExpired(db)
  slugs.forEach(forgetCampaignPage)
  return slugs
}
