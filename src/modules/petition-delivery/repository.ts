import { sql } from 'kysely'
import type { Db, Trx } from '../../db/index.ts'

// SQL for the petition delivered to a target: one row per organizer's click (unique by its key),
// what its email is written from, and what the timeline shows of the sent ones.

/** The campaign's targets the petition can go to: with an email, not archived, not bounced; platform-only too. */
export function deliverableTargets(db: Db | Trx, campaignId: string) {
  return db
    .selectFrom('campaign_targets')
    .innerJoin('targets', 'targets.id', 'campaign_targets.target_id')
    .select(['targets.id', 'targets.name', 'targets.title', 'targets.organisation', 'targets.locale'])
    .select('targets.platform_only')
    .where('campaign_targets.campaign_id', '=', campaignId)
    .where('targets.email', 'is not', null)
    .where('targets.email', '<>', '')
    .where('targets.archived_at', 'is', null)
    .where('targets.bounced_at', 'is', null)
    .orderBy('campaign_targets.position')
    .execute()
}

/** The click's delivery, once: undefined when a row with this key exists already. */
export async function insert(
  trx: Trx,
  row: { campaignId: string; targetId: string; clickKey: string; requestedBy: string | null },
) {
  return trx
    .insertInto('petition_deliveries')
    .values({
      campaign_id: row.campaignId,
      target_id: row.targetId,
      click_key: row.clickKey,
      requested_by: row.requestedBy,
    })
    .onConflict((oc) => oc.constraint('petition_deliveries_click_key').doNothing())
    .returning('id')
    .executeTakeFirst()
}

/** What the email is written from: the delivery, its target (with its address) and its campaign. */
export function findForSend(db: Db, id: string) {
  return db
    .selectFrom('petition_deliveries')
    .innerJoin('targets', 'targets.id', 'petition_deliveries.target_id')
    .innerJoin('campaigns', 'campaigns.id', 'petition_deliveries.campaign_id')
    .select([
      'petition_deliveries.id',
      'petition_deliveries.status',
      'campaigns.slug',
      'targets.name as target_name',
      'targets.title as target_title',
      'targets.organisation as target_organisation',
      'targets.email as target_email',
      'targets.locale as target_locale',
      'targets.archived_at as target_archived_at',
    ])
    .where('petition_deliveries.id', '=', id)
    .executeTakeFirst()
}

/** Confirmed, counted signers who chose to show their name, oldest first: their name, country and comment. */
export function publicSigners(db: Db, campaignId: string) {
  return db
    .selectFrom('signatures')
    .select(['name', 'country', 'comment', 'confirmed_at'])
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'confirmed')
    .where('held', '=', false)
    .where('public_name', '=', true)
    .orderBy('confirmed_at')
    .orderBy('id')
    .execute()
}

/** queued -> `status`, once; the target's id, or undefined if it was not queued. */
export function settle(
  trx: Trx,
  id: string,
  status: 'sent' | 'bounced' | 'stopped',
  signatureCount: number | null = null,
) {
  return trx
    .updateTable('petition_deliveries')
    .set({
      status,
      signature_count: signatureCount,
      sent_at: status === 'sent' ? sql<Date>`now()` : null,
    })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .returning(['target_id'])
    .executeTakeFirst()
}

/** Every delivery of a campaign, newest first, for the console. */
export function listForCampaign(db: Db, campaignId: string, limit: number) {
  return db
    .selectFrom('petition_deliveries')
    .innerJoin('targets', 'targets.id', 'petition_deliveries.target_id')
    .leftJoin('organizers', 'organizers.id', 'petition_deliveries.requested_by')
    .select([
      'petition_deliveries.id',
      'petition_deliveries.status',
      'petition_deliveries.signature_count',
      'petition_deliveries.created_at',
      'petition_deliveries.sent_at',
      'targets.name as target_name',
      'targets.organisation as target_organisation',
      'organizers.name as requested_by_name',
    ])
    .where('petition_deliveries.campaign_id', '=', campaignId)
    .orderBy('petition_deliveries.id', 'desc')
    .limit(limit)
    .execute()
}

/** The sent deliveries of a campaign, newest first, as its public timeline shows them: no address. */
export function sentForCampaign(db: Db, campaignId: string) {
  return db
    .selectFrom('petition_deliveries')
    .innerJoin('targets', 'targets.id', 'petition_deliveries.target_id')
    .select([
      'petition_deliveries.id',
      'petition_deliveries.signature_count',
      'petition_deliveries.sent_at',
      'targets.name as target_name',
      'targets.organisation as target_organisation',
    ])
    .where('petition_deliveries.campaign_id', '=', campaignId)
    .where('petition_deliveries.status', '=', 'sent')
    .orderBy('petition_deliveries.sent_at', 'desc')
    .limit(50)
    .execute()
}
