import { sql, type SelectQueryBuilder } from 'kysely'
import type { Db, Trx } from '../../db/index.ts'
import type { Database, SignatureStatus } from '../../db/types.ts'
import { keyed, type KeyRequest } from '../paging.ts'

export function countsByStatus(db: Db, campaignId: string) {
  return (
    db
      .selectFrom('signatures')
      .select(['status', sql<string>`count(*)`.as('n')])
      .where('campaign_id', '=', campaignId)
      // A confirmed signature held for review is not counted yet: the review queue shows it.
      .where(sql<boolean>`not (status = 'confirmed' and held)`)
      .groupBy('status')
      .execute()
  )
}

export function countsByCountry(db: Db, campaignId: string) {
  return db
    .selectFrom('signatures')
    .select([
      'country',
      sql<string>`count(*) filter (where status = 'confirmed' and not held)`.as('confirmed'),
      sql<string>`count(*) filter (where status = 'pending')`.as('pending'),
    ])
    .where('campaign_id', '=', campaignId)
    .where('status', '!=', 'invalidated')
    .groupBy('country')
    .orderBy(sql`count(*) filter (where status = 'confirmed' and not held)`, 'desc')
    .orderBy('country')
    .execute()
}

export interface TableFilter {
  status?: SignatureStatus | undefined
  country?: string | undefined
  /** The start of the address as the table masks it ("k***@exam"): never more than the table shows. */
  maskedPrefix?: string | undefined
  from?: Date | undefined
  before?: Date | undefined
}

// The table's mask (service.ts maskEmail) in SQL: a search can only match what the table shows, so
// it cannot tell whether a given full address signed.
const masked = sql<string>`left(email_key, 1) || '***@' || split_part(email_key, '@', 2)`
const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

function tableQuery(db: Db, campaignId: string, f: TableFilter) {
  let q = db.selectFrom('signatures').where('campaign_id', '=', campaignId)
  if (f.status) q = q.where('status', '=', f.status)
  if (f.country) q = q.where('country', '=', f.country)
  if (f.maskedPrefix) q = q.where(masked, 'like', likePrefix(f.maskedPrefix.toLowerCase()))
  if (f.from) q = q.where('created_at', '>=', f.from)
  if (f.before) q = q.where('created_at', '<', f.before)
  return q
}

export async function countTable(db: Db, campaignId: string, f: TableFilter) {
  const row = await tableQuery(db, campaignId, f)
    .select(sql<string>`count(*)`.as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** What the console's table may show; the address and IP hash are masked by the service. */
export function pageTable(db: Db, campaignId: string, f: TableFilter, page: KeyRequest, size: number) {
  const k = keyed('signatures.created_at', 'signatures.id', 'timestamptz', page)
  return tableQuery(db, campaignId, f)
    .select(['id', 'name', 'email_key', 'country', 'status', 'public_name', 'ip_hash', 'created_at', 'confirmed_at'])
    .select(k.sortKey)
    .where(k.where)
    .orderBy('created_at', k.order)
    .orderBy('id', k.order)
    .limit(size + 1)
    .execute()
}

/** Networks (IP hashes) behind more than one signature: where a flood of fakes shows. */
export function repeatedIps(db: Db, campaignId: string, limit: number) {
  return db
    .selectFrom('signatures')
    .select(['ip_hash', sql<string>`count(*)`.as('n'), sql<string>`min(id)`.as('example_id')])
    .where('campaign_id', '=', campaignId)
    .where('status', '!=', 'invalidated')
    .where('ip_hash', 'is not', null)
    .groupBy('ip_hash')
    .having(sql`count(*)`, '>', 1)
    .orderBy(sql`count(*)`, 'desc')
    .limit(limit)
    .execute()
}

export interface InvalidationFilter {
  /** Same IP hash as this signature of the campaign: the hash itself never leaves the database. */
  sameIpAs?: string | undefined
  emailDomain?: string | undefined
  from?: Date | undefined
  to?: Date | undefined
}

/** Rows a bulk invalidation would hit: not yet invalidated, matching every given criterion, at most upTo. */
function matching<O>(
  q: SelectQueryBuilder<Database, 'signatures', O>,
  campaignId: string,
  f: InvalidationFilter,
  upTo: string,
) {
  q = q
    .where('signatures.campaign_id', '=', campaignId)
    .where('signatures.status', '!=', 'invalidated')
    .where('signatures.id', '<=', upTo)
  if (f.sameIpAs) {
    q = q.where('signatures.ip_hash', '=', (eb) =>
      eb
        .selectFrom('signatures as s2')
        .select('s2.ip_hash')
        .where('s2.id', '=', f.sameIpAs!)
        .where('s2.campaign_id', '=', campaignId),
    )
  }
  if (f.emailDomain) q = q.where(sql<string>`split_part(signatures.email_key, '@', 2)`, '=', f.emailDomain)
  if (f.from) q = q.where('signatures.created_at', '>=', f.from)
  if (f.to) q = q.where('signatures.created_at', '<', f.to)
  return q
}

export async function maxId(db: Db, campaignId: string) {
  const row = await db
    .selectFrom('signatures')
    .select(sql<string | null>`max(id)`.as('id'))
    .where('campaign_id', '=', campaignId)
    .executeTakeFirstOrThrow()
  return row.id ?? '0'
}

export async function previewCounts(db: Db, campaignId: string, f: InvalidationFilter, upTo: string) {
  const row = await matching(db.selectFrom('signatures'), campaignId, f, upTo)
    .select([
      // What the public count would lose: held signatures are not in it.
      sql<string>`count(*) filter (where status = 'confirmed' and not held)`.as('confirmed'),
      sql<string>`count(*) filter (where status = 'pending')`.as('pending'),
    ])
    .executeTakeFirstOrThrow()
  return { confirmed: Number(row.confirmed), pending: Number(row.pending) }
}

/** The latest rows an invalidation would hit, with what the console's table shows of them. */
export function sampleMatching(db: Db, campaignId: string, f: InvalidationFilter, upTo: string, limit: number) {
  return matching(db.selectFrom('signatures'), campaignId, f, upTo)
    .select(['id', 'name', 'email_key', 'country', 'status', 'ip_hash', 'created_at'])
    .orderBy('signatures.id', 'desc')
    .limit(limit)
    .execute()
}

/**
 * An invalidation or its undo is one transaction over every row it hits, a flood's millions
 * included: within it, statements may run past DB_STATEMENT_TIMEOUT_MS, up to five minutes.
 */
export async function allowBulkStatements(trx: Trx) {
  await sql`set local statement_timeout = '5min'`.execute(trx)
}

export function lockMatching(trx: Trx, campaignId: string, f: InvalidationFilter, upTo: string) {
  return matching(trx.selectFrom('signatures'), campaignId, f, upTo)
    .select(['signatures.id', 'signatures.status', 'signatures.held'])
    .orderBy('signatures.id')
    .forUpdate()
    .execute()
}

export function insertInvalidation(
  trx: Trx,
  i: { campaignId: string; organizerId: string; filter: Record<string, unknown>; hit: number },
) {
  return trx
    .insertInto('invalidations')
    .values({ campaign_id: i.campaignId, organizer_id: i.organizerId, filter: JSON.stringify(i.filter), hit: i.hit })
    .returning('id')
    .executeTakeFirstOrThrow()
}

/** By one array parameter, not one per id: a flood to invalidate passes Postgres's 65,535. */
export function markInvalidated(trx: Trx, ids: string[], invalidationId: string) {
  return trx
    .updateTable('signatures')
    .set({ status: 'invalidated', invalidation_id: invalidationId })
    .where(sql<boolean>`id = any(${ids}::bigint[])`)
    .execute()
}

export function lockInvalidation(trx: Trx, campaignId: string, id: string) {
  return trx
    .selectFrom('invalidations')
    .select(['id', 'restored_at', 'hit'])
    .where('id', '=', id)
    .where('campaign_id', '=', campaignId)
    .forUpdate()
    .executeTakeFirst()
}

/** Puts every signature of a batch back: confirmed if it had been confirmed, else pending. */
export function restoreBatch(trx: Trx, invalidationId: string) {
  return trx
    .updateTable('signatures')
    .set({
      status: sql<SignatureStatus>`case when confirmed_at is null then 'pending' else 'confirmed' end`,
      invalidation_id: null,
    })
    .where('invalidation_id', '=', invalidationId)
    .returning(['id', 'status', 'held'])
    .execute()
}

export function markRestored(trx: Trx, id: string, organizerId: string) {
  return trx
    .updateTable('invalidations')
    .set({ restored_at: sql<Date>`now()`, restored_by: organizerId })
    .where('id', '=', id)
    .execute()
}

export function listInvalidations(db: Db, campaignId: string, limit: number) {
  return db
    .selectFrom('invalidations')
    .leftJoin('organizers', 'organizers.id', 'invalidations.organizer_id')
    .select([
      'invalidations.id',
      'invalidations.filter',
      'invalidations.hit',
      'invalidations.created_at',
      'invalidations.restored_at',
      'organizers.email as by_email',
    ])
    .where('invalidations.campaign_id', '=', campaignId)
    .orderBy('invalidations.id', 'desc')
    .limit(limit)
    .execute()
}

export async function countConfirmed(db: Db, campaignId: string) {
  const row = await db
    .selectFrom('signatures')
    .select(sql<string>`count(*)`.as('n'))
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'confirmed')
    .where('held', '=', false)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** One batch of confirmed signatures after a given id, for the export: what a target may receive (none held). */
export function confirmedBatch(db: Db, campaignId: string, afterId: string, limit: number) {
  return db
    .selectFrom('signatures')
    .select(['id', 'name', 'country', 'comment', 'public_name', 'confirmed_at'])
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'confirmed')
    .where('held', '=', false)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute()
}
