// Campaigns: every change, from the API, the console or a worker, goes through here. Each change
// is audited in its own transaction, with an action named by what changed, never by the channel.
// The caller forgets the public page its instance keeps (app.present.campaignPages), so the next
// reader sees the change.
import { randomBytes } from 'node:crypto'
import type { Db } from '../../db/index.ts'
import type { CampaignStatus, CampaignTexts, Locale } from '../../db/types.ts'
import { AppError, notFound } from '../../errors.ts'
import { record, type Actor } from '../audit/service.ts'
import { setLetter, letterOf, type Letter, type LetterText } from '../letters/templates.ts'
import { keyPageOf, PAGE_SIZE, type KeyRequest } from '../paging.ts'
import { campaignTargetIds, chooseTargets } from '../targets/service.ts'
import { emitEvent } from '../webhooks/events.ts'
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
  /** Ids of the targets it asks, in its order; an unknown one refuses the campaign. */
  targets?: string[] | undefined
  /** The letter to its targets, per language. */
  letter?: Letter | undefined
  /** Origins whose pages may frame its embeddable form, each as `embedOrigin` spells it. */
  embedOrigins?: string[] | undefined
}

/**
 * A change of any of a campaign's texts, translations, targets and letter: what is undefined
 * stays. A letter language set to null loses its text; one left out keeps it.
 */
export type CampaignPatch = Partial<campaigns.CampaignEdit> & {
  translations?: Record<string, unknown> | undefined
  targets?: string[] | undefined
  letter?: Partial<Record<Locale, LetterText | null>> | undefined
  embedOrigins?: string[] | undefined
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

/**
 * The deadline rule, for every path that sets one or makes a campaign live: a deadline already
 * passed would close the campaign at once. 400 for a deadline typed now, 409 for a stored one
 * that stands in the way of a launch.
 */
function assertDeadlineAllowed(deadline: Date | null | undefined, status: 400 | 409 = 400) {
  if (deadline && deadline.getTime() <= Date.now()) {
    throw new AppError(status === 409 ? 'conflict' : 'invalid_input', { deadline: 'console.campaign.deadlinePast' })
  }
}

export async function createCampaign(db: Db, actor: Actor, input: CampaignInput) {
  assertDeadlineAllowed(input.deadline)
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
      createdBy: actor.via === 'system' ? null : actor.id,
      embedOrigins: input.embedOrigins ?? [],
    })
    if (!created) return created
    const targets = await chooseTargets(trx, created.id, input.targets ?? [])
    const letter = await setLetter(trx, created.id, input.letter ?? {})
    const embedOrigins = created.embed_origins
    await record(
      trx,
      actor,
      'campaign.create',
      { type: 'campaign', id: created.id },
      { slug, targets, letter, ...(embedOrigins.length > 0 ? { embedOrigins } : {}) },
    )
    return created
  })
  if (!row) throw new AppError('slug_taken', { slug: 'error.campaign.slugUsed' })
  return row
}

/** A console edit: the texts, and the targets in their order and the embed's origins when given. */
export async function updateCampaign(
  db: Db,
  actor: Actor,
  slug: string,
  {
    targets,
    embedOrigins,
    ...edit
  }: campaigns.CampaignEdit & { targets?: string[] | undefined; embedOrigins?: string[] | undefined },
) {
  const row = await db.transaction().execute(async (trx) => {
    const current = await campaigns.lockBySlug(trx, slug)
    if (!current) throw notFound()
    // An unchanged deadline of a closed campaign may have passed: its texts can still be corrected.
    const newDeadline = (edit.deadline?.getTime() ?? null) !== (current.deadline?.getTime() ?? null)
    if (newDeadline || current.status === 'live') assertDeadlineAllowed(edit.deadline)
    const changed: string[] = (Object.keys(edit) as (keyof campaigns.CampaignEdit)[]).filter(
      (k) => JSON.stringify(edit[k]) !== JSON.stringify(current[k]),
    )
    let updated = await campaigns.updateTexts(trx, current.id, edit)
    if (embedOrigins && embedOrigins.join() !== current.embed_origins.join()) {
      updated = await campaigns.setEmbedOrigins(trx, current.id, embedOrigins)
      changed.push('embedOrigins')
    }
    if (targets) {
      const before = await campaignTargetIds(trx, current.id)
      const after = await chooseTargets(trx, current.id, targets)
      if (before.join() !== after.join()) changed.push('targets')
    }
    await record(trx, actor, 'campaign.update', { type: 'campaign', id: current.id }, { slug, fields: changed })
    return updated
  })
  return row
}

/**
 * The API's PATCH and the console's letter form: one transaction, one audit entry naming the
 * fields that changed (and the letter's languages that did), none when nothing changed.
 */
export async function patchCampaign(db: Db, actor: Actor, slug: string, patch: CampaignPatch) {
  return db.transaction().execute(async (trx) => {
    const current = await campaigns.lockBySlug(trx, slug)
    if (!current) throw notFound()
    const defined = <T extends object>(o: T) =>
      Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
    const { translations, targets, letter, embedOrigins, ...texts } = patch
    const edit: campaigns.CampaignEdit = { ...current, ...defined(texts) }
    if ('deadline' in texts && texts.deadline !== undefined) {
      const newDeadline = (edit.deadline?.getTime() ?? null) !== (current.deadline?.getTime() ?? null)
      if (newDeadline || current.status === 'live') assertDeadlineAllowed(edit.deadline)
    }
    const changed: string[] = (Object.keys(defined(texts)) as (keyof campaigns.CampaignEdit)[]).filter(
      (k) => JSON.stringify(edit[k]) !== JSON.stringify(current[k]),
    )
    let row = changed.length > 0 ? await campaigns.updateTexts(trx, current.id, edit) : current
    if (translations && JSON.stringify(translations) !== JSON.stringify(current.translations)) {
      row = await campaigns.setTranslations(trx, current.id, translations)
      changed.push('translations')
    }
    if (embedOrigins && embedOrigins.join() !== current.embed_origins.join()) {
      row = await campaigns.setEmbedOrigins(trx, current.id, embedOrigins)
      changed.push('embedOrigins')
    }
    if (targets) {
      const before = await campaignTargetIds(trx, current.id)
      const after = await chooseTargets(trx, current.id, targets)
      if (before.join() !== after.join()) changed.push('targets')
    }
    let letterLocales: Locale[] = []
    if (letter) {
      const merged: Letter = { ...(await letterOf(trx, current.id)) }
      for (const [locale, text] of Object.entries(letter) as [Locale, LetterText | null][]) {
        if (text) merged[locale] = text
        else delete merged[locale]
      }
      letterLocales = await setLetter(trx, current.id, merged)
      if (letterLocales.length > 0) changed.push('letter')
    }
    if (changed.length > 0) {
      const detail = { slug, fields: changed, ...(letterLocales.length > 0 ? { letter: letterLocales } : {}) }
      await record(trx, actor, 'campaign.update', { type: 'campaign', id: current.id }, detail)
    }
    return { row, changed }
  })
}

/** Names a campaign's targets, in that order, and nothing else: for the demo loader. */
export async function nameTargets(db: Db, actor: Actor, slug: string, targets: string[]) {
  await db.transaction().execute(async (trx) => {
    const current = await campaigns.lockBySlug(trx, slug)
    if (!current) throw notFound()
    const chosen = await chooseTargets(trx, current.id, targets)
    await record(
      trx,
      actor,
      'campaign.update',
      { type: 'campaign', id: current.id },
      { slug, fields: ['targets'], targets: chosen },
    )
  })
}

/** Saves one language's texts; empty fields fall back to the campaign's own language. */
export async function saveTranslation(db: Db, actor: Actor, slug: string, locale: Locale, texts: CampaignTexts) {
  const clean: CampaignTexts = Object.fromEntries(
    Object.entries(texts).filter(([, v]) => (Array.isArray(v) ? v.length > 0 : Boolean(v))),
  )
  const row = await db.transaction().execute(async (trx) => {
    const current = await campaigns.lockBySlug(trx, slug)
    if (!current) throw notFound()
    if (current.locale === locale) throw new AppError('conflict', { title: 'console.translation.ownLanguage' })
    const translations: Record<string, CampaignTexts> = { ...current.translations }
    if (Object.keys(clean).length) translations[locale] = clean
    else delete translations[locale]
    const updated = await campaigns.setTranslations(trx, current.id, translations)
    await record(
      trx,
      actor,
      'campaign.translate',
      { type: 'campaign', id: current.id },
      { slug, locale, fields: Object.keys(clean) },
    )
    return updated
  })
  return row
}

/** The state machine: the moves that exist, and the audit action each is recorded as. */
const moves: { from: CampaignStatus; to: CampaignStatus; action: string }[] = [
  { from: 'draft', to: 'live', action: 'campaign.launch' },
  { from: 'closed', to: 'live', action: 'campaign.reopen' },
  { from: 'draft', to: 'closed', action: 'campaign.close' },
  { from: 'live', to: 'closed', action: 'campaign.close' },
]

/**
 * Moves a campaign to `to`. With `from`, only from that state: a console button was shown for
 * the state its reader saw. Without it, any move to `to` that exists: the API's launch makes a
 * draft live or reopens a closed campaign, and is audited as whichever it was.
 */
export async function moveCampaign(db: Db, actor: Actor, slug: string, to: CampaignStatus, from?: CampaignStatus) {
  const row = await db.transaction().execute(async (trx) => {
    const current = await campaigns.lockBySlug(trx, slug)
    if (!current) throw notFound()
    const step = moves.find((m) => m.from === current.status && m.to === to)
    if (!step || (from && from !== current.status)) {
      // "Already live" says what happened; otherwise the state changed since the reader looked.
      const already = current.status === to && (to === 'live' ? 'error.campaign.live' : 'error.campaign.closed')
      throw new AppError('conflict', undefined, already || 'console.campaign.stateChanged')
    }
    if (to === 'live') assertDeadlineAllowed(current.deadline, 409)
    const moved = await campaigns.setStatus(trx, slug, [current.status], to)
    if (to === 'live') {
      const reopened = current.status === 'closed'
      await emitEvent(trx, 'campaign.launched', { campaignId: current.id, slug, goal: current.goal, reopened })
    }
    await record(trx, actor, step.action, { type: 'campaign', id: current.id }, { slug, status: to })
    return moved!
  })
  return row
}

export const launchCampaign = (db: Db, actor: Actor, slug: string) => moveCampaign(db, actor, slug, 'live', 'draft')
export const reopenCampaign = (db: Db, actor: Actor, slug: string) => moveCampaign(db, actor, slug, 'live', 'closed')
export const closeCampaign = (db: Db, actor: Actor, slug: string) => moveCampaign(db, actor, slug, 'closed')

/** Closes every live campaign whose deadline passed, each audited as a close by `actor`; answers their slugs. */
export async function closeExpiredCampaigns(db: Db, actor: Actor) {
  const closed = await db.transaction().execute(async (trx) => {
    const rows = await campaigns.closeExpired(trx)
    for (const { id, slug } of rows) {
      await record(trx, actor, 'campaign.close', { type: 'campaign', id }, { slug, status: 'closed', expired: true })
    }
    return rows.map((r) => r.slug)
  })
  return closed
}

/** Any campaign, drafts included: for organizers. */
export async function findCampaign(db: Db, slug: string) {
  const row = await campaigns.findBySlug(db, slug)
  if (!row) throw notFound()
  return row
}

/** The public may see live and closed campaigns; a draft does not exist for them. */
export async function findPublicCampaign(db: Db, slug: string) {
  const row = await campaigns.findBySlug(db, slug)
  if (!row || row.status === 'draft') throw notFound()
  return row
}

export const listLiveCampaigns = campaigns.listLive

/** The console's list of campaigns searched for, newest first, paged by key, with their counts. */
export async function campaignsPage(db: Db, filter: campaigns.CampaignSearch, page: KeyRequest) {
  const [total, fetched] = await Promise.all([
    campaigns.countSearched(db, filter),
    campaigns.pageWithCounts(db, filter, page, PAGE_SIZE),
  ])
  const p = keyPageOf(fetched, page, PAGE_SIZE, (r) => ({ sort: r.sort_key, id: r.id }))
  return {
    ...p,
    total,
    rows: p.rows.map((r) => ({ ...r, confirmed: Number(r.confirmed ?? 0), pending: Number(r.pending ?? 0) })),
  }
}
