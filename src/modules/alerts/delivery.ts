// Sends alert deliveries, a batch per job. Claim with a conditional update, check suppression
// at send time, send, record the SMTP answer. A crash after an SMTP answer and before its record
// can send that message once more: at most the claimed rows not yet recorded at the crash.
import { randomBytes } from 'node:crypto'
import type { Config } from '../../config.ts'
import type { Db } from '../../db/index.ts'
import { toLocale, type Locale } from '../../locale.ts'
import type { PreparedMail } from '../../mail/prepared.ts'
import { isPermanent, isTemporary, type Mailer, type OutgoingMessage } from '../../mail/transport.ts'
import { messageId } from '../../security.ts'
import * as subscribers from '../subscribers/repository.ts'
import { completeDrainedAlerts } from './complete.ts'
import * as alerts from './repository.ts'

/** An email's content and headers: what the composer makes and the mailer sends. */
export type ComposedEmail = Omit<OutgoingMessage, 'to' | 'messageId'>
export type AlertToCompose = Pick<alerts.AlertRow, 'id' | 'report_id' | 'update_id' | 'kind'>
/** An alert's email in one language, given each recipient's links by their nonce (a subscriber's, or a signature's). */
export type AlertEmail = (subscriberNonce: Buffer) => ComposedEmail

/** Writing the email is presentation (src/present): whoever builds the deps passes it in. */
export interface AlertComposer {
  /** The alert's email in one language; undefined when its report is gone. */
  alert(alert: AlertToCompose, locale: Locale): Promise<AlertEmail | undefined>
}

export interface SendDeps {
  db: Db
  config: Config
  mailer: Mailer
  compose: AlertComposer
}

/** A claimed row whose worker may be dead is taken over after twice the job lock. */
export function staleClaimSeconds(config: Config): number {
  return config.jobLockSeconds * 2
}

export type SendOutcome = 'sent' | 'failed' | 'suppressed' | 'cancelled' | 'skipped'

/** The job should wait and try again later: paused alert, or a claim still held elsewhere. */
export class NotYet extends Error {}
/** SMTP said "not now" (4xx) or the connection dropped: back off, do not count a failure. */
export class TemporarySendError extends Error {}

/**
 * Writes send outcomes in groups: at RECORD_EVERY outcomes or RECORD_AFTER_MS after the first
 * unwritten one, whichever comes first. A crash can leave only that many sent rows unrecorded.
 */
const RECORD_EVERY = 20
const RECORD_AFTER_MS = 50

class OutcomeRecorder {
  #db: Db
  #pending: alerts.DeliveryOutcome[] = []
  #timer: NodeJS.Timeout | undefined
  #writing: Promise<void> = Promise.resolve()

  constructor(db: Db) {
    this.#db = db
  }

  add(id: string, status: alerts.DeliveryStatus, response: string | null = null) {
    this.#pending.push({ id, status, response })
    if (this.#pending.length >= RECORD_EVERY) this.#write()
    else this.#timer ??= setTimeout(() => this.#write(), RECORD_AFTER_MS)
  }

  /** Resolves once everything added so far is written; rejects if any write failed. */
  flush(): Promise<void> {
    this.#write()
    return this.#writing
  }

  // Starts writing what is pending. A failed write is not lost: it rejects #writing, which the
  // batch's last flush() returns and awaits.
  #write() {
    clearTimeout(this.#timer)
    this.#timer = undefined
    const outcomes = this.#pending
    this.#pending = []
    if (outcomes.length > 0) this.#writing = this.#writing.then(() => alerts.finishDeliveries(this.#db, outcomes))
    this.#writing.catch(() => {}) // seen by the batch's flush(), not here
  }
}

export type BatchOutcome = Record<SendOutcome, number>

/** Runs a send when one of the worker's DELIVERY_CONCURRENCY slots is free. */
export type SendLimit = <T>(send: () => Promise<T>) => Promise<T>

/**
 * Sends a batch of alert deliveries: one claim for all of them, the sends through `limit` (the
 * worker's sends in flight), and their outcomes written a group at a time. On SMTP's "not now"
 * no further send starts, the unsent rows go back to `queued`, and TemporarySendError asks for
 * the batch again later: the retry's claim skips the rows already sent.
 */
export async function deliverAlerts(
  deps: SendDeps,
  deliveryIds: readonly string[],
  limit: SendLimit = (send) => send(),
): Promise<BatchOutcome> {
  const { db, config } = deps
  const counts: BatchOutcome = { sent: 0, failed: 0, suppressed: 0, cancelled: 0, skipped: 0 }
  const claimed = await alerts.claimForSend(db, deliveryIds, staleClaimSeconds(config))
  // An alert or digest stops for any suppression. A campaign's update goes to a signer, who stops
  // it with that campaign's own link: only a bounce or a complaint stops it here, not having
  // unsubscribed from the tracker's alerts.
  const keysOf = (updates: boolean) => claimed.filter((c) => (c.kind === 'update') === updates).map((c) => c.email_key)
  const [suppressedAlerts, suppressedUpdates] = await Promise.all([
    subscribers.suppressedAmong(db, config.secretKey, keysOf(false)),
    subscribers.suppressedAmong(db, config.secretKey, keysOf(true), subscribers.NEVER_AGAIN),
  ])
  const suppressed = (claim: (typeof claimed)[number]) =>
    (claim.kind === 'update' ? suppressedUpdates : suppressedAlerts).has(claim.email_key)
  const recorder = new OutcomeRecorder(db)
  const recorded = new Set<string>()
  const record = (id: string, status: alerts.DeliveryStatus, response: string | null = null) => {
    if (status !== 'queued') counts[status]++
    recorded.add(id)
    recorder.add(id, status, response)
  }

  // One alert in one language is one email to many: its MIME is built once per batch (prepare).
  const prepared = new Map<string, Promise<PreparedMail | undefined>>()
  const prepare = (claim: alerts.ClaimedSend, email: AlertEmail) => {
    const key = `${claim.alert_id}:${claim.locale}`
    let done = prepared.get(key)
    if (!done) {
      const sample = (n: number): OutgoingMessage => ({
        to: `sample-${n}@prepare.invalid`,
        ...email(randomBytes(claim.nonce.length)),
        messageId: messageId(config, `prepare:${n}`),
      })
      // Not preparable is not a failure: each message is then built in full, and fails on its own.
      done = (async () => deps.mailer.prepare?.(sample(1), sample(2)))().catch(() => undefined)
      prepared.set(key, done)
    }
    return done
  }

  let notNow: TemporarySendError | NotYet | undefined
  const sends = claimed.map(async (claim) => {
    if (claim.alert_status === 'cancelled') return record(claim.id, 'cancelled')
    if (claim.alert_status === 'paused') {
      notNow ??= new NotYet('alert paused')
      return record(claim.id, 'queued')
    }
    if (!claim.recipient_active || suppressed(claim)) return record(claim.id, 'suppressed')
    const email = await deps.compose.alert(claimedAlert(claim), toLocale(claim.locale) ?? 'en')
    if (!email) return record(claim.id, 'cancelled')
    const mime = await prepare(claim, email)
    return limit(async () => {
      if (notNow) return record(claim.id, 'queued')
      try {
        const info = await deps.mailer.send({
          to: claim.email,
          ...email(claim.nonce),
          prepared: mime,
          // Fixed per (report, alert kind, subscriber) or (update, signature or letter): a resend is
          // recognisably the same message.
          messageId: messageId(
            config,
            claim.kind === 'update'
              ? `update:${claim.update_id}.${claim.recipient_kind === 'letter' ? 'l' : ''}${claim.recipient_id}`
              : `alert:${claim.report_id}.${claim.kind}.${claim.recipient_id}`,
          ),
          kind: claim.kind === 'update' ? 'update' : 'alert',
        })
        record(claim.id, 'sent', info.response)
      } catch (err) {
        try {
          await handleSendError(deps, err, claim.email_key, async (status, response) =>
            record(claim.id, status, response),
          )
        } catch (temporary) {
          if (!(temporary instanceof TemporarySendError)) throw temporary
          notNow ??= temporary
        }
      }
    })
  })
  const crashed = (await Promise.allSettled(sends)).find((r) => r.status === 'rejected')
  // Postgres failed mid-batch (rendering, suppressing): what was not sent goes back to the queue.
  if (crashed) for (const { id } of claimed) if (!recorded.has(id)) record(id, 'queued')
  await recorder.flush()
  if (crashed) throw crashed.reason
  if (notNow) throw notNow
  // The batch that settles an alert's last delivery marks it done. Keyed by the batch's ids, not
  // by what this attempt claimed: a batch redone after its worker died between recording and
  // this check claims nothing and must still complete the alert.
  await completeDrainedAlerts(db, { deliveryIds })

  counts.skipped = deliveryIds.length - claimed.length
  if (counts.skipped > 0) {
    const taken = new Set(claimed.map((c) => c.id))
    const held = await alerts.heldElsewhere(
      db,
      deliveryIds.filter((id) => !taken.has(id)),
    )
    if (held.length > 0) throw new NotYet(`${held.length} claimed by another attempt`)
  }
  return counts
}

/**
 * For a batch whose job has failed for good (its attempts spent, or a failure no retry cures):
 * what it left unsent is marked failed with the reason, so the alert's progress says so and the
 * alert completes, rather than waiting for ever on rows no job will send.
 */
export async function abandonAlerts(db: Db, deliveryIds: readonly string[], reason: string) {
  const { numUpdatedRows } = await alerts.abandonDeliveries(db, deliveryIds, reason)
  await completeDrainedAlerts(db, { deliveryIds })
  return Number(numUpdatedRows)
}

function claimedAlert(claim: alerts.ClaimedSend) {
  return { id: claim.alert_id, report_id: claim.report_id, update_id: claim.update_id, kind: claim.kind }
}

/**
 * 5xx: failed, and the address is suppressed as a hard bounce. A 4xx or a failed connection: try
 * later. Anything else (a message the transport refused to build) fails this one delivery.
 */
export async function handleSendError(
  deps: { db: Db; config: Config },
  err: unknown,
  emailKey: string,
  release: (status: 'queued' | 'failed', response: string) => Promise<unknown>,
): Promise<'failed'> {
  const response = ((err as { response?: string }).response ?? (err as Error).message ?? '').slice(0, 500)
  if (isPermanent(err)) {
    await release('failed', response)
    await subscribers.suppress(deps.db, deps.config.secretKey, emailKey, 'bounced', response)
    return 'failed'
  }
  if (!isTemporary(err)) {
    await release('failed', response)
    return 'failed'
  }
  await release('queued', response)
  throw new TemporarySendError(response)
}
