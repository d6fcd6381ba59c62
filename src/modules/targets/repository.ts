import { sql } from 'kysely'
import type { Db, Trx } from '../../db/index.ts'
import type { Locale } from '../../db/types.ts'

// What an organizer sees of a target: every column that describes it, email included.
const columns = [
  'id',
  'name',
  'title',
  'organisation',
  'country',
  'locale',
  'email',
  'postal_address',
  'website',
  'platform_only',
  'created_at',
  'updated_at',
  'bounced_at',
  'letter_bundle',
] as const

// What the public may see of a campaign's targets: never the email or a postal address.
const publicColumns = [
  'targets.id',
  'targets.name',
  'targets.title',
  'targets.organisation',
  'targets.country',
  'targets.locale',
] as const

export interface TargetFields {
  name: string
  title: string | null
  organisation: string
  country: string
  locale: Locale
  email: string | null
  postalAddress: string | null
  website: string | null
  platformOnly: boolean
}

const row = (t: TargetFields) => ({
  name: t.name,
  title: t.title,
  organisation: t.organisation,
  country: t.country,
  locale: t.locale,
  email: t.email,
  postal_address: t.postalAddress,
  website: t.website,
  platform_only: t.platformOnly,
})

export function insert(db: Db | Trx, t: TargetFields, createdBy: string | null) {
  return db
    .insertInto('targets')
    .values({ ...row(t), created_by: createdBy })
    .returning(columns)
    .executeTakeFirstOrThrow()
}

export type TargetRow = Awaited<ReturnType<typeof insert>>

/** A target that is not archived. */
export function findActive(db: Db | Trx, id: string) {
  return db
    .selectFrom('targets')
    .select(columns)
    .where('id', '=', id)
    .where('archived_at', 'is', null)
    .executeTakeFirst()
}

export function lockActive(trx: Trx, id: string) {
  return trx
    .selectFrom('targets')
    .select(columns)
    .where('id', '=', id)
    .where('archived_at', 'is', null)
    .forUpdate()
    .executeTakeFirst()
}

/** A new email starts the platform's letters to the target again after a bounce. */
export function update(trx: Trx, id: string, t: TargetFields) {
  return trx
    .updateTable('targets')
    .set({
      ...row(t),
      updated_at: sql<Date>`now()`,
      bounced_at: sql<Date | null>`case when email is distinct from ${t.email} then null else bounced_at end`,
    })
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirstOrThrow()
}

export function archive(trx: Trx, id: string) {
  return trx
    .updateTable('targets')
    .set({ archived_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('archived_at', 'is', null)
    .returning(['id', 'name'])
    .executeTakeFirst()
}

/** Every target not archived, by organisation and name; a campaign names at most a few, so no paging. */
export function listActive(db: Db, limit: number) {
  return db
    .selectFrom('targets')
    .select(columns)
    .where('archived_at', 'is', null)
    .orderBy('organisation')
    .orderBy('name')
    .orderBy('id')
    .limit(limit)
    .execute()
}

/** Of `ids`, those that name a target not archived; locked so none is archived before the link is written. */
export async function lockActiveIds(trx: Trx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const rows = await trx
    .selectFrom('targets')
    .select('id')
    .where('id', 'in', ids)
    .where('archived_at', 'is', null)
    .forShare()
    .execute()
  return new Set(rows.map((r) => r.id))
}

/** Replaces a campaign's targets with `ids`, in that order. */
export async function setCampaignTargets(trx: Trx, campaignId: string, ids: readonly string[]) {
  await trx.deleteFrom('campaign_targets').where('campaign_id', '=', campaignId).execute()
  if (ids.length === 0) return
  await trx
    .insertInto('campaign_targets')
    .values(ids.map((id, position) => ({ campaign_id: campaignId, target_id: id, position })))
    .execute()
}

/** The ids of a campaign's targets, in its order, archived ones included (the console keeps them chosen). */
export async function campaignTargetIds(db: Db | Trx, campaignId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('campaign_targets')
    .select('target_id')
    .where('campaign_id', '=', campaignId)
    .orderBy('position')
    .execute()
  return rows.map((r) => r.target_id)
}

/** The public columns of the targets of each of `campaignIds` not archived, in each campaign's order. */
export function publicTargetsOf(db: Db | Trx, campaignIds: readonly string[]) {
  return db
    .selectFrom('campaign_targets')
    .innerJoin('targets', 'targets.id', 'campaign_targets.target_id')
    .select(['campaign_targets.campaign_id', ...publicColumns])
    .where('campaign_targets.campaign_id', 'in', campaignIds)
    .where('targets.archived_at', 'is', null)
    .orderBy('campaign_targets.campaign_id')
    .orderBy('campaign_targets.position')
    .execute()
}

/** A target of one organisation, by name (the demo loader's "already there"). */
export function findActiveByName(db: Db | Trx, organisation: string, name: string) {
  return db
    .selectFrom('targets')
    .select('id')
    .where('organisation', '=', organisation)
    .where('name', '=', name)
    .where('archived_at', 'is', null)
    .executeTakeFirst()
}

/**
 * The email and postal address of a campaign's targets that may be published: those not archived
 * and not platform-only. Only for the campaign's letter page (its mailto links and addresses).
 */
export function publishableContactsOf(db: Db | Trx, campaignId: string) {
  return db
    .selectFrom('campaign_targets')
    .innerJoin('targets', 'targets.id', 'campaign_targets.target_id')
    .select(['targets.id', 'targets.email', 'targets.postal_address'])
    .where('campaign_targets.campaign_id', '=', campaignId)
    .where('targets.archived_at', 'is', null)
    .where('targets.platform_only', '=', false)
    .orderBy('campaign_targets.position')
    .execute()
}
