import { sql, type SelectQueryBuilder } from 'kysely'
import type { Db, Trx } from '../../db/index.ts'
import type { Database } from '../../db/types.ts'

// SQL for holding or dropping a campaign's queued letters from one network or email domain: the
// same two criteria as the bulk invalidation of signatures (signature-admin/repository.ts), over
// letters that still have a send waiting.

export interface HoldFilter {
  /** Same IP hash as this letter of the campaign: the hash itself never leaves the database. */
  sameNetworkAs?: string | undefined
  emailDomain?: string | undefined
}

/** Confirmed letters of the campaign, not held or dropped, with a send still queued. */
function queued<O>(q: SelectQueryBuilder<Database, 'letters', O>, campaignId: string) {
  return q
    .where('letters.campaign_id', '=', campaignId)
    .where('letters.status', '=', 'confirmed')
    .where('letters.hold_id', 'is', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('letter_sends')
          .select('letter_sends.id')
          .whereRef('letter_sends.letter_id', '=', 'letters.id')
          .where('letter_sends.status', '=', 'queued'),
      ),
    )
}

function matching<O>(q: SelectQueryBuilder<Database, 'letters', O>, campaignId: string, f: HoldFilter) {
  q = queued(q, campaignId)
  if (f.sameNetworkAs) {
    q = q.where('letters.ip_hash', '=', (eb) =>
      eb
        .selectFrom('letters as l2')
        .select('l2.ip_hash')
        .where('l2.id', '=', f.sameNetworkAs!)
        .where('l2.campaign_id', '=', campaignId),
    )
  }
  if (f.emailDomain) q = q.where(sql<string>`split_part(letters.email_key, '@', 2)`, '=', f.emailDomain)
  return q
}

export function lockMatching(trx: Trx, campaignId: string, f: HoldFilter) {
  return matching(trx.selectFrom('letters'), campaignId, f)
    .select('letters.id')
    .orderBy('letters.id')
    .forUpdate()
    .execute()
}

/** The latest queued letters, for the organizer to look at: no address beyond its domain. */
export function sample(db: Db, campaignId: string, limit: number) {
  return queued(db.selectFrom('letters'), campaignId)
    .select([
      'letters.id',
      'letters.name',
      'letters.email_key',
      'letters.country',
      'letters.ip_hash',
      'letters.confirmed_at',
      'letters.body',
      (eb) =>
        eb
          .selectFrom('letter_sends')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('letter_sends.letter_id', '=', 'letters.id')
          .where('letter_sends.status', '=', 'queued')
          .as('queued_sends'),
    ])
    .orderBy('letters.id', 'desc')
    .limit(limit)
    .execute()
}

export async function counts(db: Db, campaignId: string) {
  const [waitingRow, heldRow] = await Promise.all([
    queued(db.selectFrom('letters'), campaignId)
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('letters')
      .innerJoin('letter_holds', 'letter_holds.id', 'letters.hold_id')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('letters.campaign_id', '=', campaignId)
      .where('letter_holds.action', '=', 'hold')
      .executeTakeFirstOrThrow(),
  ])
  return { queued: waitingRow.n, held: heldRow.n }
}

export function insertHold(
  trx: Trx,
  h: { campaignId: string; organizerId: string; action: 'hold' | 'drop'; filter: Record<string, string>; hit: number },
) {
  return trx
    .insertInto('letter_holds')
    .values({
      campaign_id: h.campaignId,
      organizer_id: h.organizerId,
      action: h.action,
      filter: JSON.stringify(h.filter),
      hit: h.hit,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}

/** By one array parameter, as signatures' bulk statements are. */
export function markHeld(trx: Trx, ids: string[], holdId: string) {
  return trx
    .updateTable('letters')
    .set({ hold_id: holdId })
    .where('id', '=', sql<string>`any(${sql.val(ids)}::bigint[])`)
    .execute()
}

/** A dropped letter's waiting sends: stopped, never to be sent. */
export function stopSends(trx: Trx, ids: string[]) {
  return trx
    .updateTable('letter_sends')
    .set({ status: 'stopped' })
    .where('letter_id', '=', sql<string>`any(${sql.val(ids)}::bigint[])`)
    .where('status', '=', 'queued')
    .execute()
}

export function listHolds(db: Db, campaignId: string, limit: number) {
  return db
    .selectFrom('letter_holds')
    .leftJoin('organizers', 'organizers.id', 'letter_holds.organizer_id')
    .select([
      'letter_holds.id',
      'letter_holds.action',
      'letter_holds.filter',
      'letter_holds.hit',
      'letter_holds.created_at',
      'letter_holds.released_at',
      'organizers.name as organizer_name',
    ])
    .where('letter_holds.campaign_id', '=', campaignId)
    .orderBy('letter_holds.id', 'desc')
    .limit(limit)
    .execute()
}

export function lockHold(trx: Trx, campaignId: string, id: string) {
  return trx
    .selectFrom('letter_holds')
    .select(['id', 'action', 'released_at'])
    .where('id', '=', id)
    .where('campaign_id', '=', campaignId)
    .forUpdate()
    .executeTakeFirst()
}

/** Lets the hold's letters go; their sends still queued, with where each stands. */
export async function release(trx: Trx, holdId: string, organizerId: string) {
  await trx
    .updateTable('letter_holds')
    .set({ released_at: sql<Date>`now()`, released_by: organizerId })
    .where('id', '=', holdId)
    .execute()
  const letters = await trx
    .updateTable('letters')
    .set({ hold_id: null })
    .where('hold_id', '=', holdId)
    .returning('id')
    .execute()
  if (letters.length === 0) return []
  return trx
    .selectFrom('letter_sends')
    .innerJoin('targets', 'targets.id', 'letter_sends.target_id')
    .leftJoin('letter_bundles', 'letter_bundles.id', 'letter_sends.bundle_id')
    .select([
      'letter_sends.id',
      'letter_sends.target_id',
      'letter_bundles.status as bundle_status',
      'targets.letter_bundle',
      // A job of its own still to run (held before its turn came): it sends when it runs.
      sql<boolean>`exists (select 1 from outbox where outbox.done_at is null and outbox.kind = 'letter.send'
        and outbox.payload->>'sendId' = letter_sends.id::text)`.as('job_pending'),
    ])
    .where('letter_sends.letter_id', '=', sql<string>`any(${sql.val(letters.map((l) => l.id))}::bigint[])`)
    .where('letter_sends.status', '=', 'queued')
    .orderBy('letter_sends.id')
    .execute()
}

export function setBundle(trx: Trx, sendId: string, bundleId: string) {
  return trx.updateTable('letter_sends').set({ bundle_id: bundleId }).where('id', '=', sendId).execute()
}

export function setTurn(trx: Trx, sendId: string, at: Date | 'now') {
  return trx
    .updateTable('letter_sends')
    .set({ bundle_id: null, send_after: at === 'now' ? sql<Date>`now()` : at })
    .where('id', '=', sendId)
    .execute()
}
