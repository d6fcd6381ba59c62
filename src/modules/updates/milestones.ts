// Milestones: thresholds of signatures a campaign sets (none set: its goal). Crossing one tells
// the organizers (the console and an email each) and posts the update prepared for it, once:
// the milestone's row is marked reached by one conditional statement, whoever runs it at once.
import { sql } from 'kysely'
import type { Db, Trx } from '../../db/index.ts'
import type { Locale } from '../../db/types.ts'
import { AppError, notFound } from '../../errors.ts'
import { record, systemActor, type Actor } from '../audit/service.ts'
import * as campaigns from '../campaigns/repository.ts'
import * as outbox from '../outbox/repository.ts'
import { emitEvent } from '../webhooks/events.ts'
import { UPDATE_LIMITS } from './limits.ts'
import { writeUpdate } from './service.ts'

export interface MilestoneInput {
  threshold: number
  kind?: 'update' | 'good-news' | undefined
  title?: string | undefined
  body?: string | undefined
  lang?: Locale | undefined
  notify?: boolean | undefined
}

const milestoneColumns = [
  'id',
  'threshold',
  'update_kind',
  'update_title',
  'update_body',
  'update_lang',
  'update_notify',
  'reached_at',
  'update_id',
] as const

export function milestonesOf(db: Db, campaignId: string) {
  return db
    .selectFrom('campaign_milestones')
    .select(milestoneColumns)
    .where('campaign_id', '=', campaignId)
    .orderBy('threshold')
    .execute()
}

export type MilestoneRow = Awaited<ReturnType<typeof milestonesOf>>[number]

export function milestoneJson(m: MilestoneRow) {
  return {
    id: m.id,
    threshold: m.threshold,
    reachedAt: m.reached_at?.toISOString() ?? null,
    update: m.update_title
      ? {
          kind: m.update_kind,
          title: m.update_title,
          body: m.update_body,
          lang: m.update_lang,
          notify: m.update_notify,
        }
      : null,
    postedUpdate: m.update_id,
  }
}

/**
 * Sets a threshold and the update prepared for it (or none); a threshold set again replaces its
 * prepared update while it is not reached. A reached one is history: 409.
 */
export async function setMilestone(db: Db, actor: Actor, slug: string, input: MilestoneInput) {
  const row = await db.transaction().execute(async (trx) => {
    const campaign = await campaigns.lockBySlug(trx, slug)
    if (!campaign) throw notFound()
    const prepared = input.title && input.body
    const values = {
      update_kind: prepared ? (input.kind ?? 'update') : null,
      update_title: prepared ? input.title! : null,
      update_body: prepared ? input.body! : null,
      update_lang: prepared ? (input.lang ?? (campaign.locale as Locale)) : null,
      update_notify: prepared ? (input.notify ?? false) : false,
    }
    const { n } = await trx
      .selectFrom('campaign_milestones')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('campaign_id', '=', campaign.id)
      .where('threshold', '<>', input.threshold)
      .executeTakeFirstOrThrow()
    if (Number(n) >= UPDATE_LIMITS.milestones)
      throw new AppError('invalid_input', {
        threshold: { key: 'error.tooMany', params: { max: UPDATE_LIMITS.milestones } },
      })
    const saved = await trx
      .insertInto('campaign_milestones')
      .values({ campaign_id: campaign.id, threshold: input.threshold, ...values })
      .onConflict((oc) =>
        oc
          .constraint('campaign_milestones_threshold')
          .doUpdateSet(values)
          .where('campaign_milestones.reached_at', 'is', null),
      )
      .returning(milestoneColumns)
      .executeTakeFirst()
    if (!saved) throw new AppError('conflict', { threshold: 'error.milestone.reached' })
    await record(
      trx,
      actor,
      'campaign.milestone.set',
      { type: 'campaign', id: campaign.id },
      { slug, threshold: input.threshold, prepared: !!prepared },
    )
    return saved
  })
  return milestoneJson(row)
}

/** Removes a threshold not yet reached. */
export async function removeMilestone(db: Db, actor: Actor, slug: string, id: string) {
  await db.transaction().execute(async (trx) => {
    const campaign = await campaigns.lockBySlug(trx, slug)
    if (!campaign) throw notFound()
    const gone = await trx
      .deleteFrom('campaign_milestones')
      .where('id', '=', id)
      .where('campaign_id', '=', campaign.id)
      .where('reached_at', 'is', null)
      .returning('threshold')
      .executeTakeFirst()
    if (!gone) throw new AppError('conflict', undefined, 'error.milestone.reached')
    await record(trx, actor, 'campaign.milestone.remove', { type: 'campaign', id: campaign.id }, { slug, ...gone })
  })
}

/**
 * Marks reached every milestone of a live campaign whose count has crossed it, and for each: the
 * prepared update posted (emailed to the signers if it says so), an email to each organizer to
 * tell, and an audit row. A campaign without thresholds has its goal as one, written as reached.
 * One statement decides: the conditional update (or the insert that conflicts) lets exactly one
 * of several concurrent runs have a given milestone.
 */
export async function reachMilestones(db: Db): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ id: string }>`
      with live as (select id, goal, signature_count from campaigns where status = 'live'),
      by_goal as (
        insert into campaign_milestones (campaign_id, threshold, reached_at)
        select l.id, l.goal, now() from live l
        where l.goal > 0 and l.signature_count >= l.goal
          and not exists (select 1 from campaign_milestones m where m.campaign_id = l.id)
        on conflict on constraint campaign_milestones_threshold do nothing
        returning id
      ),
      crossed as (
        update campaign_milestones m set reached_at = now()
        from live l
        where m.campaign_id = l.id and m.reached_at is null and l.signature_count >= m.threshold
        returning m.id
      )
      select id from by_goal union all select id from crossed`.execute(trx)
    for (const { id } of rows) await announce(trx, id)
    return rows.length
  })
}

async function announce(trx: Trx, milestoneId: string) {
  const m = await trx
    .selectFrom('campaign_milestones as m')
    .innerJoin('campaigns as c', 'c.id', 'm.campaign_id')
    .select(['m.id', 'm.threshold', 'm.update_kind', 'm.update_title', 'm.update_body', 'm.update_lang'])
    .select(['m.update_notify', 'c.id as campaign_id', 'c.slug', 'c.locale', 'c.created_by', 'c.signature_count'])
    .where('m.id', '=', milestoneId)
    .executeTakeFirstOrThrow()
  const actor = systemActor('ticker')
  let updateId: string | null = null
  if (m.update_kind && m.update_title && m.update_body) {
    const { update } = await writeUpdate(
      trx,
      actor,
      { id: m.campaign_id, slug: m.slug, locale: m.locale },
      {
        kind: m.update_kind,
        title: m.update_title,
        body: m.update_body,
        lang: m.update_lang ?? undefined,
        notify: m.update_notify,
      },
    )
    updateId = update.id
    await trx.updateTable('campaign_milestones').set({ update_id: updateId }).where('id', '=', m.id).execute()
  }
  // The campaign's author, and every admin: who can act on it.
  const organizers = await trx
    .selectFrom('organizers')
    .select('id')
    .where('disabled_at', 'is', null)
    .where((eb) => eb.or([eb('role', '=', 'admin'), eb('id', '=', m.created_by ?? '0')]))
    .execute()
  for (const o of organizers) await outbox.enqueue(trx, 'milestone.reached', { milestoneId: m.id, organizerId: o.id })
  await emitEvent(trx, 'campaign.milestone', {
    campaignId: m.campaign_id,
    slug: m.slug,
    milestoneId: m.id,
    threshold: m.threshold,
    signatureCount: Number(m.signature_count),
    updateId,
  })
  await record(
    trx,
    actor,
    'campaign.milestone',
    { type: 'campaign', id: m.campaign_id },
    { slug: m.slug, threshold: m.threshold, update: updateId },
  )
}

/** What an organizer's milestone email says; nothing if the organizer was disabled meanwhile. */
export function findMilestoneForMail(db: Db, milestoneId: string, organizerId: string) {
  return db
    .selectFrom('campaign_milestones as m')
    .innerJoin('campaigns as c', 'c.id', 'm.campaign_id')
    .innerJoin('organizers as o', (j) => j.on('o.id', '=', organizerId).on('o.disabled_at', 'is', null))
    .leftJoin('campaign_updates as u', 'u.id', 'm.update_id')
    .select(['m.threshold', 'c.slug', 'c.title', 'c.translations', 'u.title as posted_title'])
    .select(['o.email as organizer_email', 'o.locale as organizer_locale'])
    .where('m.id', '=', milestoneId)
    .executeTakeFirst()
}
