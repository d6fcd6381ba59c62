// What the console does to campaigns beyond the API's create/launch/close: edit, translate,
// reopen, and the list with its counts. Every change is audited in its own transaction and
// forgets the cached public page, so the next reader sees it.
import type { Db } from '../../db/index.ts'
import type { CampaignTexts, Locale } from '../../db/types.ts'
import { notFound } from '../../errors.ts'
import { langTag, toLocale } from '../../i18n/index.ts'
import { record, type Actor } from '../audit/service.ts'
import { FormError } from '../form-error.ts'
import { pageOf } from '../paging.ts'
import { forgetCampaignPage } from './page-data.ts'
import * as campaigns from './repository.ts'
import { changeStatus } from './service.ts'

export async function campaignsPage(db: Db, page: number) {
  const p = pageOf(page, await campaigns.countAll(db))
  const rows = await campaigns.pageWithCounts(db, p.size, p.offset)
  return {
    ...p,
    rows: rows.map((r) => ({
      ...r,
      // The title is in the campaign's own language, whatever the console's.
      lang: langTag(toLocale(r.locale) ?? 'en'),
      confirmed: Number(r.confirmed ?? 0),
      pending: Number(r.pending ?? 0),
    })),
  }
}

export async function findCampaign(db: Db, slug: string) {
  const row = await campaigns.findBySlug(db, slug)
  if (!row) throw notFound()
  return row
}

export async function updateCampaign(db: Db, actor: Actor, slug: string, edit: campaigns.CampaignEdit) {
  const row = await db.transaction().execute(async (trx) => {
    const current = await campaigns.lockBySlug(trx, slug)
    if (!current) throw notFound()
    // A live campaign cannot be given a deadline that has already passed: it would close at once.
    if (edit.deadline && edit.deadline.getTime() <= Date.now() && current.status === 'live') {
      throw new FormError({ deadline: 'console.campaign.deadlinePast' })
    }
    const changed = (Object.keys(edit) as (keyof campaigns.CampaignEdit)[]).filter(
      (k) => JSON.stringify(edit[k]) !== JSON.stringify(current[k]),
    )
    const updated = await campaigns.updateTexts(trx, current.id, edit)
    await record(trx, actor, 'campaign.update', { type: 'campaign', id: current.id }, { slug, fields: changed })
    return updated
  })
  forgetCampaignPage(slug)
  return row
}

/** Saves one language's texts; empty fields fall back to the campaign's own language. */
export async function saveTranslation(db: Db, actor: Actor, slug: string, locale: Locale, texts: CampaignTexts) {
  const clean: CampaignTexts = Object.fromEntries(
    Object.entries(texts).filter(([, v]) => (Array.isArray(v) ? v.length > 0 : Boolean(v))),
  )
  const row = await db.transaction().execute(async (trx) => {
    const current = await campaigns.lockBySlug(trx, slug)
    if (!current) throw notFound()
    if (current.locale === locale) throw new FormError({ title: 'console.translation.ownLanguage' }, 409)
    const translations: Record<string, CampaignTexts> = { ...current.translations }
    if (Object.keys(clean).length) translations[locale] = clean
    else delete translations[locale]
    const updated = await campaigns.setTranslations(trx, current.id, translations)
    await record(trx, actor, 'campaign.translate', { type: 'campaign', id: current.id }, { slug, locale, fields: Object.keys(clean) })
    return updated
  })
  forgetCampaignPage(slug)
  return row
}

/** draft -> live only; a closed campaign is reopened, which says what it does. */
export async function launchDraft(db: Db, actor: Actor, slug: string) {
  return moveTo(db, actor, slug, 'draft', 'live', 'campaign.launch')
}

export async function reopenCampaign(db: Db, actor: Actor, slug: string) {
  return moveTo(db, actor, slug, 'closed', 'live', 'campaign.reopen')
}

export async function closeLive(db: Db, actor: Actor, slug: string) {
  const current = await findCampaign(db, slug)
  if (current.status === 'closed') throw new FormError({ status: 'console.campaign.stateChanged' }, 409)
  return moveTo(db, actor, slug, current.status, 'closed', 'campaign.close')
}

async function moveTo(
  db: Db,
  actor: Actor,
  slug: string,
  from: 'draft' | 'live' | 'closed',
  to: 'live' | 'closed',
  action: string,
) {
  const current = await findCampaign(db, slug)
  if (current.status !== from) throw new FormError({ status: 'console.campaign.stateChanged' }, 409)
  if (to === 'live' && current.deadline && current.deadline.getTime() <= Date.now()) {
    throw new FormError({ status: 'console.campaign.deadlinePast' }, 409)
  }
  const row = await changeStatus(db, slug, [from], to, actor, action)
  if (!row) throw new FormError({ status: 'console.campaign.stateChanged' }, 409)
  forgetCampaignPage(slug)
  return row
}
