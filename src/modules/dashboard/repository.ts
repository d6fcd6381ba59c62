// The console dashboard's figures: each a single aggregate query over an index, never one per
// campaign or per alert. Days are the organizer's own (`timeZone`, an IANA name Postgres knows).
import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'

/** Live campaigns (campaigns_live_deadline), newest launch first, with the stored count. */
export function liveCampaigns(db: Db) {
  return db
    .selectFrom('campaigns')
    .select(['id', 'slug', 'title', 'locale', 'goal', 'signature_count'])
    .where('status', '=', 'live')
    .orderBy('launched_at', 'desc')
    .orderBy('id', 'desc')
    .execute()
}

/**
 * Counted signatures of every live campaign per local day, over the `days` days ending today in
 * `timeZone` (signatures_confirmed: one range per campaign). Days without any are left out.
 */
export async function liveSignaturesPerDay(db: Db, o: { timeZone: string; now: Date; days: number }) {
  const { rows } = await sql<{ campaign_id: string; day: string; count: number }>`
    select s.campaign_id, to_char((s.confirmed_at at time zone ${o.timeZone})::date, 'YYYY-MM-DD') as day,
           count(*)::int as count
      from campaigns c
      join signatures s on s.campaign_id = c.id and s.status = 'confirmed'
     where c.status = 'live'
       and not s.held
       and s.confirmed_at >= (date_trunc('day', ${o.now}::timestamptz at time zone ${o.timeZone})
                              - make_interval(days => ${o.days - 1})) at time zone ${o.timeZone}
       and s.confirmed_at <= ${o.now}::timestamptz
     group by 1, 2`.execute(db)
  return rows
}

/**
 * Active subscribers per topic and frequency: everything, each campaign they follow, each
 * province (subscribers_active, subscriber_campaigns_campaign, the provinces' primary key).
 */
export async function subscribersByTopic(db: Db) {
  const { rows } = await sql<{
    kind: 'all' | 'campaign' | 'province'
    topic: string | null
    title: string | null
    locale: string | null
    frequency: 'immediate' | 'daily'
    count: number
  }>`
    select 'all' as kind, null as topic, null as title, null as locale, frequency, count(*)::int as count
      from subscribers where status = 'active' and topic_all
     group by frequency
    union all
    select 'campaign', c.slug, c.title, c.locale, s.frequency, count(*)::int
      from subscriber_campaigns sc
      join subscribers s on s.id = sc.subscriber_id and s.status = 'active'
      join campaigns c on c.id = sc.campaign_id
     group by c.slug, c.title, c.locale, s.frequency
    union all
    select 'province', sp.province, null, null, s.frequency, count(*)::int
      from subscriber_provinces sp
      join subscribers s on s.id = sp.subscriber_id and s.status = 'active'
     group by sp.province, s.frequency`.execute(db)
  return rows
}

/** Alerts still sending (alerts_in_progress), with their deliveries counted (by the alert's own index). */
export async function alertsInProgress(db: Db, limit: number) {
  const { rows } = await sql<{
    id: string
    kind: 'report' | 'retraction' | 'update'
    status: 'fanning-out' | 'sending' | 'paused'
    created_at: Date
    recipients: number
    sent: number
    failed: number
  }>`
    select a.id, a.kind, a.status, a.created_at,
           count(d.id)::int as recipients,
           count(d.id) filter (where d.status = 'sent')::int as sent,
           count(d.id) filter (where d.status = 'failed')::int as failed
      from alerts a
      left join deliveries d on d.alert_id = a.id
     where a.status in ('fanning-out', 'sending', 'paused')
     group by a.id
     order by a.id desc
     limit ${limit}`.execute(db)
  return rows
}

/** Webhook deliveries given up, newest first (webhook_deliveries_failed). */
export function lastFailedWebhookDeliveries(db: Db, limit: number) {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .select(['d.id', 'd.webhook_id', 'd.event', 'd.attempts', 'd.settled_at', 'w.url'])
    .where('d.status', '=', 'failed')
    .orderBy('d.settled_at', 'desc')
    .limit(limit)
    .execute()
}
