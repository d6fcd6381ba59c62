import { sql } from 'kysely'
import type { Db, Trx } from '../../db/index.ts'

// SQL for a target's daily bundle of letters: one row per (target, UTC day), open while its day
// lasts, then queued once, sent once.

const today = sql<string>`(now() at time zone 'utc')::date`

/**
 * The target's open bundle for today, made if it is the first letter of the day; the bundle of
 * the next day when today's was closed meanwhile (a confirmation that began before midnight).
 */
export async function openBundle(trx: Trx, targetId: string): Promise<string> {
  for (const day of [today, sql<string>`${today} + 1`]) {
    const row = await trx
      .insertInto('letter_bundles')
      .values({ target_id: targetId, day })
      .onConflict((oc) =>
        oc
          .constraint('letter_bundles_target_day')
          .doUpdateSet({ target_id: (eb) => eb.ref('excluded.target_id') })
          .where('letter_bundles.status', '=', 'open'),
      )
      .returning('id')
      .executeTakeFirst()
    if (row) return row.id
  }
  throw new Error(`no open letter bundle for target ${targetId}`)
}

/** Open bundles whose day is over become queued, once; their ids. */
export async function closeDue(trx: Trx) {
  const rows = await trx
    .updateTable('letter_bundles')
    .set({ status: 'queued' })
    .where('status', '=', 'open')
    .where('day', '<', today)
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

/** The bundle with its target's address and state, for the mail worker. */
export function findBundle(db: Db | Trx, id: string) {
  return db
    .selectFrom('letter_bundles')
    .innerJoin('targets', 'targets.id', 'letter_bundles.target_id')
    .select([
      'letter_bundles.id',
      'letter_bundles.status',
      sql<string>`to_char(letter_bundles.day, 'YYYY-MM-DD')`.as('day'),
      'targets.id as target_id',
      'targets.email as target_email',
      'targets.locale as target_locale',
      'targets.archived_at',
      'targets.bounced_at',
    ])
    .where('letter_bundles.id', '=', id)
    .executeTakeFirst()
}

/** The letters a bundle carries: its sends still queued, in the order they were confirmed. */
export function lettersOf(db: Db, bundleId: string) {
  return (
    db
      .selectFrom('letter_sends')
      .innerJoin('letters', 'letters.id', 'letter_sends.letter_id')
      .innerJoin('campaigns', 'campaigns.id', 'letters.campaign_id')
      .select([
        'letter_sends.id as send_id',
        'letters.name',
        'letters.city',
        'letters.country',
        'letters.body',
        'campaigns.id as campaign_id',
        'campaigns.slug',
      ])
      .where('letter_sends.bundle_id', '=', bundleId)
      .where('letter_sends.status', '=', 'queued')
      // Held by an organizer (letter-admin): not sent; its release puts it in a later bundle.
      .where('letters.hold_id', 'is', null)
      .orderBy('letter_sends.id')
      .execute()
  )
}

/** queued -> `status` for the bundle, once; false when it was not queued. */
export async function settleBundle(
  trx: Trx,
  id: string,
  status: 'sent' | 'bounced' | 'stopped',
  letterCount: number | null,
): Promise<boolean> {
  const row = await trx
    .updateTable('letter_bundles')
    .set({ status, letter_count: letterCount, sent_at: status === 'sent' ? sql<Date>`now()` : null })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

/** The bundle's sends, those given or every queued one, -> `status`; their letters. */
export function settleSends(
  trx: Trx,
  bundleId: string,
  status: 'sent' | 'bounced' | 'stopped',
  sendIds?: readonly string[],
) {
  let q = trx
    .updateTable('letter_sends')
    .set({ status, sent_at: status === 'sent' ? sql<Date>`now()` : null })
    .where('bundle_id', '=', bundleId)
    .where('status', '=', 'queued')
  if (sendIds) q = q.where('id', '=', sql<string>`any(${sql.val(sendIds)}::bigint[])`)
  // A held letter's send stays queued when its bundle is stopped: a release puts it in a bundle
  // again (letter-admin's releaseHold), else it would be lost with a bundle of held letters only.
  if (status === 'stopped')
    q = q.where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('letters')
            .select(sql`1`.as('one'))
            .whereRef('letters.id', '=', 'letter_sends.letter_id')
            .where('letters.hold_id', 'is not', null),
        ),
      ),
    )
  return q.returning(['letter_id']).execute()
}

export function setLetterBundle(trx: Trx, targetId: string, on: boolean) {
  return trx
    .updateTable('targets')
    .set({ letter_bundle: on })
    .where('id', '=', targetId)
    .where('archived_at', 'is', null)
    .returning(['id', 'name'])
    .executeTakeFirst()
}
