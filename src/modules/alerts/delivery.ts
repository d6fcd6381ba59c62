// Sends one alert delivery. Claim with a conditional update, check suppression at send time,
// send, record the SMTP answer. A crash after the SMTP answer and before the record can send
// once more: at most the sends in flight at the crash.
import type { Config } from '../../config.ts'
import type { Db } from '../../db/index.ts'
import { toLocale } from '../../i18n/index.ts'
import type { EmailRenderer } from '../../mail/render.ts'
import type { Mailer } from '../../mail/transport.ts'
import { bulkHeaders, fill, subscriberLinks, alertTemplate } from './compose.ts'
import * as subscribers from '../subscribers/repository.ts'
import * as alerts from './repository.ts'

export interface SendDeps {
  db: Db
  config: Config
  mailer: Mailer
  render: EmailRenderer
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

export function smtpCode(err: unknown): number | undefined {
  const code = (err as { responseCode?: unknown }).responseCode
  return typeof code === 'number' ? code : undefined
}

export async function deliverAlert(deps: SendDeps, deliveryId: string): Promise<SendOutcome> {
  const { db, config } = deps
  const claim = await alerts.claimForSend(db, deliveryId, staleClaimSeconds(config))
  if (!claim) {
    if ((await alerts.deliveryStatus(db, deliveryId)) === 'sending') throw new NotYet('claimed by another attempt')
    return 'skipped' // already sent, failed, suppressed or cancelled
  }
  const release = (status: 'queued' | 'sent' | 'failed' | 'suppressed' | 'cancelled', response: string | null = null) =>
    alerts.finishDelivery(db, deliveryId, status, response)

  if (claim.alert_status === 'cancelled') {
    await release('cancelled')
    return 'cancelled'
  }
  if (claim.alert_status === 'paused') {
    await release('queued')
    throw new NotYet('alert paused')
  }
  if (claim.subscriber_status !== 'active' || claim.suppressed) {
    await release('suppressed')
    return 'suppressed'
  }
  const alert = { id: claim.alert_id, report_id: claim.report_id, kind: claim.kind }
  const template = await alertTemplate(deps, alert, toLocale(claim.locale) ?? 'en')
  if (!template) {
    await release('cancelled')
    return 'cancelled'
  }
  const subscriber = { id: claim.subscriber_id, email: claim.email, email_key: claim.email_key }
  const links = subscriberLinks(config, claim.nonce)
  try {
    const info = await deps.mailer.send({
      to: subscriber.email,
      ...fill(template, links),
      headers: bulkHeaders(config, links),
      // Fixed per (report, alert kind, subscriber): a resend is recognisably the same message.
      messageId: `<report-${alert.report_id}.${alert.kind}.${subscriber.id}@${new URL(config.publicUrl).hostname}>`,
    })
    await release('sent', info.response)
    return 'sent'
  } catch (err) {
    return handleSendError(deps, err, subscriber.email_key, (status, response) => release(status, response))
  }
}

/** 5xx: failed, and the address is suppressed as a hard bounce. Anything else: try later. */
export async function handleSendError(
  deps: { db: Db },
  err: unknown,
  emailKey: string,
  release: (status: 'queued' | 'failed', response: string) => Promise<unknown>,
): Promise<'failed'> {
  const code = smtpCode(err)
  const response = ((err as { response?: string }).response ?? (err as Error).message ?? '').slice(0, 500)
  if (code !== undefined && code >= 500) {
    await release('failed', response)
    await subscribers.suppress(deps.db, emailKey, 'bounced', response)
    return 'failed'
  }
  await release('queued', response)
  throw new TemporarySendError(response)
}
