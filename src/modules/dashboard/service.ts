// What the console's home page shows an organizer at a glance (issue 18, point 11): each live
// campaign's count, today's signatures and the last days of them, the subscribers by topic and
// frequency, the alerts still sending, the outbox's backlog and the last failures. "Today" and the
// days are the organizer's own, in its time zone; a handful of aggregate queries in all.
import type { Db } from '../../db/index.ts'
import { outboxState, type OperatorQueues, lastFailedJobs } from '../queues/service.ts'
import * as dashboard from './repository.ts'

/** Days drawn per campaign, today included. */
export const DASHBOARD_DAYS = 14
const ALERTS_SHOWN = 10
const FAILURES_SHOWN = 5

export interface DashboardCampaign {
  slug: string
  title: string
  locale: string
  goal: number
  signatureCount: number
  today: number
  /** One per day, oldest first, ending today (YYYY-MM-DD in the organizer's zone). */
  days: { day: string; count: number }[]
}

/** The date (YYYY-MM-DD) `at` falls on in `timeZone`. */
export function localDay(at: Date, timeZone: string): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at)
}

/** The `count` days ending with `last` (YYYY-MM-DD), oldest first. */
export function daysUpTo(last: string, count: number): string[] {
  const end = Date.parse(`${last}T00:00:00Z`)
  return Array.from({ length: count }, (_, i) =>
    new Date(end - (count - 1 - i) * 86_400_000).toISOString().slice(0, 10),
  )
}

export async function liveCampaignFigures(db: Db, o: { timeZone: string; now: Date }): Promise<DashboardCampaign[]> {
  const [campaigns, perDay] = await Promise.all([
    dashboard.liveCampaigns(db),
    dashboard.liveSignaturesPerDay(db, { ...o, days: DASHBOARD_DAYS }),
  ])
  const counts = new Map(perDay.map((r) => [`${r.campaign_id} ${r.day}`, r.count]))
  const days = daysUpTo(localDay(o.now, o.timeZone), DASHBOARD_DAYS)
  const today = days[days.length - 1]!
  return campaigns.map((c) => ({
    slug: c.slug,
    title: c.title,
    locale: c.locale,
    goal: c.goal,
    signatureCount: Number(c.signature_count),
    today: counts.get(`${c.id} ${today}`) ?? 0,
    days: days.map((day) => ({ day, count: counts.get(`${c.id} ${day}`) ?? 0 })),
  }))
}

export interface Dashboard {
  campaigns: DashboardCampaign[]
  subscribers: Awaited<ReturnType<typeof dashboard.subscribersByTopic>>
  alerts: Awaited<ReturnType<typeof dashboard.alertsInProgress>>
  outbox: Awaited<ReturnType<typeof outboxState>>
  failures: {
    webhooks: Awaited<ReturnType<typeof dashboard.lastFailedWebhookDeliveries>>
    /**
     * Failed jobs of every queue, newest first: for admins only (null otherwise), as the queues page
     * is; 'unavailable' while Redis does not answer (the rest of the page still shows).
     */
    jobs: Awaited<ReturnType<typeof lastFailedJobs>> | 'unavailable' | null
  }
}

export async function dashboardOf(
  db: Db,
  o: { timeZone: string; now: Date; queues: OperatorQueues | null },
): Promise<Dashboard> {
  const [campaigns, subscribers, alerts, outbox, webhooks, jobs] = await Promise.all([
    liveCampaignFigures(db, o),
    dashboard.subscribersByTopic(db),
    dashboard.alertsInProgress(db, ALERTS_SHOWN),
    outboxState(db),
    dashboard.lastFailedWebhookDeliveries(db, FAILURES_SHOWN),
    o.queues ? lastFailedJobs(o.queues, FAILURES_SHOWN).catch(() => 'unavailable' as const) : null,
  ])
  return { campaigns, subscribers, alerts, outbox, failures: { webhooks, jobs } }
}
