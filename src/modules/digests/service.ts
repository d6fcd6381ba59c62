// The daily digest: one email per daily subscriber per day with the reports published since
// their last digest that match their topics, and the retractions of earlier ones; none when
// there were none.
import type { Queue } from 'bullmq'
import type { Db } from '../../db/index.ts'
import { chunk } from '../../chunk.ts'
import { DELIVERY_BATCH, deliveryJobs, type DeliveryJobData } from '../../jobs/index.ts'
import { toLocale, type Locale } from '../../locale.ts'
import { messageId } from '../../security.ts'
import {
  handleSendError,
  type ComposedEmail,
  NotYet,
  staleClaimSeconds,
  TemporarySendError,
  type SendDeps,
  type SendLimit,
  type SendOutcome,
} from '../alerts/delivery.ts'
import * as reports from '../reports/repository.ts'
import { provinceMatchKeys } from '../provinces.ts'
import * as subscribers from '../subscribers/repository.ts'
import * as digests from './repository.ts'

const PAGE = 1000

/** Writing the digest is presentation (src/present): whoever builds the deps passes it in. */
export interface DigestComposer {
  digest(d: {
    locale: Locale
    nonce: Buffer
    published: reports.ReportRow[]
    retracted: reports.ReportRow[]
  }): ComposedEmail
}

export type DigestDeps = Omit<SendDeps, 'compose'> & { compose: DigestComposer }

/** Creates today's digest rows, a page of daily subscribers at a time, and their send jobs. */
export async function runDigest(db: Db, deliveries: Queue<DeliveryJobData>, day: string, until: Date): Promise<number> {
  let cursor = '0'
  let added = 0
  for (;;) {
    const page = await digests.dailySubscribers(db, cursor, PAGE)
    if (page.length === 0) return added
    await digests.insertDigests(db, day, until, page)
    const queued = await digests.queuedDigests(
      db,
      day,
      page.map((s) => s.id),
    )
    await deliveries.addBulk(
      chunk(queued, DELIVERY_BATCH).map((ids) => ({
        name: deliveryJobs.digests.name,
        data: { digestIds: ids },
        opts: { jobId: deliveryJobs.digests.id(ids) },
      })),
    )
    added += queued.length
    cursor = page[page.length - 1]!.id
  }
}

export type DigestOutcome = SendOutcome | 'empty'

/**
 * Sends a batch of digests through `limit`. After SMTP's "not now" no further digest starts;
 * the error asks for the batch again later, and the retry skips the digests already sent.
 */
export async function deliverDigests(deps: DigestDeps, digestIds: readonly string[], limit: SendLimit) {
  const counts: Record<DigestOutcome | 'later', number> = {
    sent: 0,
    failed: 0,
    suppressed: 0,
    cancelled: 0,
    skipped: 0,
    empty: 0,
    later: 0,
  }
  let notNow: TemporarySendError | NotYet | undefined
  const results = await Promise.allSettled(
    digestIds.map((id) =>
      limit(async () => {
        if (notNow) return 'later' as const
        try {
          return await deliverDigest(deps, id)
        } catch (err) {
          if (err instanceof TemporarySendError || err instanceof NotYet) notNow ??= err
          throw err
        }
      }),
    ),
  )
  for (const result of results) {
    if (result.status === 'fulfilled') counts[result.value]++
    else if (!(result.reason instanceof TemporarySendError || result.reason instanceof NotYet)) throw result.reason
  }
  if (notNow) throw notNow
  return counts
}

/** For a batch whose job has failed for good: its unsent digests are marked failed (see abandonAlerts). */
export async function abandonDigests(db: Db, digestIds: readonly string[], reason: string) {
  const { numUpdatedRows } = await digests.abandonDigests(db, digestIds, reason)
  return Number(numUpdatedRows)
}

export async function deliverDigest(deps: DigestDeps, digestId: string): Promise<DigestOutcome> {
  const { db, config } = deps
  const claim = await digests.claimDigest(db, digestId, staleClaimSeconds(config))
  if (!claim) {
    if ((await digests.statusOf(db, digestId)) === 'sending') throw new NotYet('claimed by another attempt')
    return 'skipped'
  }
  const finish = (status: digests.DigestEnd, response: string | null = null, count = 0) =>
    digests.finishDigest(db, claim, status, response, count)
  let prepared: Awaited<ReturnType<typeof prepareDigest>>
  try {
    prepared = await prepareDigest(deps, claim)
    if (prepared.skip) {
      await finish(prepared.skip)
      return prepared.skip
    }
  } catch (err) {
    // Rendering or Postgres failed before the send: the claim goes back, so the job's retry
    // takes the digest at once rather than after the claim has gone stale.
    await digests.releaseDigest(db, claim.id).catch(() => {}) // else it goes stale
    throw err
  }
  // From here the mail server may have the message: the claim is kept whatever fails next, so a
  // retry before it goes stale sends the digest neither again nor to an address that bounced.
  const { subscriber, email, count } = prepared
  let info
  try {
    info = await deps.mailer.send({
      to: subscriber.email,
      ...email,
      messageId: messageId(config, `digest:${digestId}`),
      kind: 'digest',
    })
  } catch (err) {
    return handleSendError(deps, err, subscriber.email_key, (status, response) => finish(status, response))
  }
  // Outside the try: a sent digest whose record fails is not a failed send.
  await finish('sent', info.response, count)
  return 'sent'
}

/** The digest's email for its subscriber, or why none is sent (suppressed, nothing new). */
async function prepareDigest(deps: DigestDeps, claim: { subscriber_id: string; since: Date; until: Date }) {
  const { db, config } = deps
  const subscriber = await subscribers.findForMail(db, claim.subscriber_id)
  if (
    !subscriber ||
    subscriber.status !== 'active' ||
    (await subscribers.suppressedAmong(db, config.secretKey, [subscriber.email_key])).size > 0
  ) {
    return { skip: 'suppressed' as const }
  }
  const { published, retracted } = await matchingReports(db, subscriber, claim.since, claim.until)
  const count = published.length + retracted.length
  if (count === 0) return { skip: 'empty' as const }
  const locale = toLocale(subscriber.locale) ?? 'en'
  const email = deps.compose.digest({ locale, nonce: subscriber.nonce, published, retracted })
  return { subscriber, email, count }
}

/** What the digest holds: new reports and retracted earlier ones, on the subscriber's topics. */
async function matchingReports(db: Db, subscriber: { id: string; topic_all: boolean }, since: Date, until: Date) {
  const [published, retracted] = await Promise.all([
    reports.publishedBetween(db, since, until),
    reports.retractedBetween(db, since, until),
  ])
  if (subscriber.topic_all || published.length + retracted.length === 0) return { published, retracted }
  const topics = await subscribers.topicsOf(db, subscriber.id)
  const campaignIds = new Set(topics.campaigns.map((c) => c.id))
  const provinces = new Set(topics.provinces)
  const followed = (r: reports.ReportRow) =>
    (r.campaign_id !== null && campaignIds.has(r.campaign_id)) || provinceMatchKeys(r).some((key) => provinces.has(key))
  return { published: published.filter(followed), retracted: retracted.filter(followed) }
}
