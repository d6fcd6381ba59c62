import { sql } from 'kysely'
import type { Db, Trx } from '../../db/index.ts'

// SQL for a confirmed letter's emails to targets: one row per (letter, target), each with its turn.

/** The campaign's targets the platform can write to: with an email, not archived, not bounced; by id (lock order). */
export function writableTargets(trx: Trx, campaignId: string) {
  return trx
    .selectFrom('campaign_targets')
    .innerJoin('targets', 'targets.id', 'campaign_targets.target_id')
    .select(['targets.id', 'targets.letter_bundle'])
    .where('campaign_targets.campaign_id', '=', campaignId)
    .where('targets.email', 'is not', null)
    .where('targets.email', '<>', '')
    .where('targets.archived_at', 'is', null)
    .where('targets.bounced_at', 'is', null)
    .orderBy('targets.id')
    .execute()
}

/**
 * Takes the target's next turn, `spacingSeconds` after the one before (or now, if that is past),
 * and moves its next free turn on: the row lock orders concurrent confirmations.
 */
export async function takeTurn(trx: Trx, targetId: string, spacingSeconds: number): Promise<Date> {
  const row = await sql<{ turn: Date }>`
    update targets
    set next_letter_at = greatest(coalesce(next_letter_at, now()), now()) + make_interval(secs => ${spacingSeconds})
    where id = ${targetId}
    returning next_letter_at - make_interval(secs => ${spacingSeconds}) as turn`.execute(trx)
  return row.rows[0]!.turn
}

/** The send of a letter to a target, once ever, alone or in a day's bundle: undefined when it exists already. */
export async function insert(
  trx: Trx,
  letterId: string,
  targetId: string,
  sendAfter: Date | 'now',
  bundleId: string | null = null,
) {
  const row = await trx
    .insertInto('letter_sends')
    .values({
      letter_id: letterId,
      target_id: targetId,
      send_after: sendAfter === 'now' ? sql<Date>`now()` : sendAfter,
      bundle_id: bundleId,
    })
    .onConflict((oc) => oc.constraint('letter_sends_letter_target').doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id
}

/**
 * Where a send stands, for the mail worker (in its transaction): how long until its turn (ms), and
 * whether its target can take it. The letter's row is locked: what an organizer's hold or release
 * changes (letter-admin).
 */
export function findTurn(trx: Trx, id: string) {
  return trx
    .selectFrom('letter_sends')
    .innerJoin('targets', 'targets.id', 'letter_sends.target_id')
    .innerJoin('letters', 'letters.id', 'letter_sends.letter_id')
    .select([
      'letter_sends.status',
      'letters.hold_id',
      'targets.email',
      'targets.bounced_at',
      'targets.archived_at',
      sql<number>`greatest(0, ceil(extract(epoch from letter_sends.send_after - clock_timestamp()) * 1000))::int`.as(
        'wait_ms',
      ),
    ])
    .where('letter_sends.id', '=', id)
    .forUpdate('letters')
    .executeTakeFirst()
}

/** queued -> `status`; the row's target id and letter, or undefined if it was not queued. */
export function settle(trx: Trx, id: string, status: 'sent' | 'bounced' | 'stopped') {
  return trx
    .updateTable('letter_sends')
    .set({ status, sent_at: status === 'sent' ? sql<Date>`now()` : null })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .returning(['target_id', 'letter_id'])
    .executeTakeFirst()
}

/** One more letter sent on the letter's campaign: a counter the campaign page reads with the campaign. */
export function countSent(trx: Trx, letterId: string) {
  return trx
    .updateTable('campaigns')
    .set({ letters_sent: sql<string>`letters_sent + 1` })
    .where('id', '=', trx.selectFrom('letters').select('campaign_id').where('id', '=', letterId))
    .execute()
}

export function markBounced(trx: Trx, targetId: string) {
  return trx
    .updateTable('targets')
    .set({ bounced_at: sql<Date>`coalesce(bounced_at, now())` })
    .where('id', '=', targetId)
    .execute()
}

/** What the letter to one target is written from: the supporter's name, place and text, the target, the campaign. */
export function findForLetter(db: Db, id: string) {
  return db
    .selectFrom('letter_sends')
    .innerJoin('letters', 'letters.id', 'letter_sends.letter_id')
    .innerJoin('targets', 'targets.id', 'letter_sends.target_id')
    .innerJoin('campaigns', 'campaigns.id', 'letters.campaign_id')
    .select([
      'letter_sends.status',
      'letters.name',
      'letters.city',
      'letters.country',
      'letters.body',
      'targets.email as target_email',
      'targets.locale as target_locale',
      'campaigns.id as campaign_id',
      'campaigns.slug',
    ])
    .where('letter_sends.id', '=', id)
    .executeTakeFirst()
}
