// Turns an outbox row into a sent email: load by id, have it composed in the recipient's
// language (src/present, passed in by whoever builds the deps), send.
import type { Config } from '../../config.ts'
import type { Db } from '../../db/index.ts'
import { isOutboxKind, outboxPayloads, type OutboxKind, type OutboxPayload } from '../../jobs/index.ts'
import { isPermanent, type Mailer } from '../../mail/transport.ts'
import { messageId } from '../../security.ts'
import type { ComposedEmail } from '../alerts/delivery.ts'
import { emailKey } from '../email-key.ts'
import { resolveRequest as resolveErasureRequest } from '../erasure/service.ts'
import * as letters from '../platform-letters/repository.ts'
import { resolveRepeat as resolveLetterRepeat } from '../platform-letters/service.ts'
import * as bundles from '../platform-letters/bundles.ts'
import * as letterSends from '../platform-letters/sends.ts'
import * as outbox from '../outbox/repository.ts'
import * as petitions from '../petition-delivery/service.ts'
import { resolveRepeat as resolveSignatureRepeat } from '../signatures/service.ts'
import { NEVER_AGAIN, suppress, suppressedAmong } from '../subscribers/repository.ts'
import { resolveRepeat as resolveSubscriberRepeat } from '../subscribers/service.ts'
import { mailDomain } from '../email-key.ts'
import * as cooldown from './cooldown.ts'

/**
 * An email ready to send, or undefined when what it was about is gone (erased, used meanwhile).
 * A petition's email also says the count it carries, which its delivery row keeps once sent.
 */
export type Composed =
  | {
      to: string
      email: ComposedEmail
      /** A delivered petition: the count it carries. */
      signatureCount?: number
      /** A day's bundle of letters: the sends it carries. */
      sendIds?: string[]
    }
  | undefined
/** A repeat (signing, writing or subscribing again) or an erasure request is an email only once the worker has decided which. */
export type MailKind = Exclude<
  OutboxKind,
  'signature.repeat' | 'letter.repeat' | 'subscriber.repeat' | 'erasure.request'
>

/** Writes the email of each kind; one composer per kind, so a new kind without one fails to compile. */
export type MessageComposer = { [K in MailKind]: (payload: OutboxPayload<K>) => Promise<Composed> }

/**
 * Counts an email to `domain` and says how long to wait (ms) when the domain had its share this
 * minute (MAIL_DOMAIN_PER_MINUTE); undefined to send now. Kept by the mail worker, in Redis.
 */
export type DomainPacer = (domain: string) => Promise<number | undefined>

export interface MessageDeps {
  db: Db
  config: Config
  mailer: Mailer
  compose: { message: MessageComposer }
  pace?: DomainPacer | undefined
}

/** Thrown when the recipient's domain had its share this minute: run the job again later. */
export class MailDeferred extends Error {
  constructor(readonly delayMs: number) {
    super(`recipient domain at its cap; again in ${delayMs} ms`)
  }
}

export type DeliveryResult = 'sent' | 'already-sent' | 'gone' | 'nothing-to-send' | 'suppressed' | 'bounced'

function compose<K extends MailKind>(deps: MessageDeps, kind: K, payload: unknown): Promise<Composed> {
  const composer = deps.compose.message[kind] as (payload: OutboxPayload<K>) => Promise<Composed>
  return composer(outboxPayloads[kind].parse(payload) as OutboxPayload<K>)
}

/**
 * Sends the email an outbox row asks for, once: a row marked done is not sent again, so a job
 * retried after a successful send (a worker killed before acking) does not mail twice unless the
 * kill fell between the SMTP answer and the mark.
 */
export async function deliverOutboxMessage(deps: MessageDeps, outboxId: string): Promise<DeliveryResult> {
  const row = await outbox.find(deps.db, outboxId)
  if (!row || !isOutboxKind(row.kind)) return 'gone'
  if (row.done_at) return 'already-sent'
  if (row.kind === 'letter.send') return deliverLetter(deps, row.id, outboxPayloads['letter.send'].parse(row.payload))
  if (row.kind === 'letter.bundle')
    return deliverBundle(deps, row.id, outboxPayloads['letter.bundle'].parse(row.payload))
  if (row.kind === 'petition.deliver')
    return deliverPetition(deps, row.id, outboxPayloads['petition.deliver'].parse(row.payload))
  const kind = await decide(deps, row.id, row.kind, row.payload)
  if (!kind) return 'nothing-to-send'
  const composed = await compose(deps, kind, row.payload)
  if (!composed) {
    await outbox.markDone(deps.db, outboxId) // erased meanwhile: nothing to send
    return 'gone'
  }
  if (kind !== 'erasure.link' && (await neverAgain(deps, composed.to))) {
    await outbox.markDone(deps.db, outboxId)
    return 'suppressed'
  }
  if (!(await inboxFree(deps, row.id, kind, row.payload, composed.to))) {
    // What it was about stays as it was (a signature pending): a request after the cooldown mails.
    await outbox.markDone(deps.db, outboxId)
    return 'nothing-to-send'
  }
  const wait = await deps.pace?.(mailDomain(composed.to))
  if (wait !== undefined) throw new MailDeferred(wait)
  try {
    await deps.mailer.send({
      to: composed.to,
      ...composed.email,
      messageId: messageId(deps.config, `outbox:${row.id}`),
      kind,
    })
  } catch (err) {
    // A hard bounce, as for an alert: nothing of any kind is sent to this address again, so a
    // stranger who keeps typing a dead or trap address cannot keep us bouncing off it.
    if (isPermanent(err))
      await suppress(deps.db, deps.config.secretKey, emailKey(composed.to), 'bounced', (err as Error).message)
    throw err
  }
  await outbox.markDone(deps.db, outboxId)
  return 'sent'
}

/**
 * A supporter's letter to a target: not before the target's turn (the job waits for it without
 * spending an attempt), not to a target whose server refused one; a refusal (5xx) stops the
 * target's letters for good instead of failing the job. Sent from MAIL_FROM, with no reply-to:
 * the supporter's address never reaches the target.
 */
async function deliverLetter(
  deps: MessageDeps,
  outboxId: string,
  payload: { sendId: string },
): Promise<DeliveryResult> {
  const { db } = deps
  const turn = await letterSends.turnOf(db, payload.sendId, outboxId)
  if (turn === 'drop') return 'nothing-to-send'
  if (turn !== 'go') throw new MailDeferred(turn)
  const composed = await compose(deps, 'letter.send', payload)
  if (!composed) {
    await outbox.markDone(db, outboxId)
    return 'gone'
  }
  if (await neverAgain(deps, composed.to)) {
    await letterSends.markStopped(db, payload.sendId, outboxId)
    return 'suppressed'
  }
  const wait = await deps.pace?.(mailDomain(composed.to))
  if (wait !== undefined) throw new MailDeferred(wait)
  try {
    await deps.mailer.send({
      to: composed.to,
      ...composed.email,
      messageId: messageId(deps.config, `outbox:${outboxId}`),
      kind: 'letter.send',
    })
  } catch (err) {
    if (!isPermanent(err)) throw err
    await letterSends.markBounced(db, payload.sendId, outboxId)
    return 'bounced'
  }
  await letterSends.markSent(db, payload.sendId, outboxId)
  return 'sent'
}

/**
 * A target's letters of one day as one email: sent once (the bundle leaves 'queued' with its
 * outbox row done, in one transaction); a refusal (5xx) stops the target's letters.
 */
async function deliverBundle(deps: MessageDeps, outboxId: string, payload: { bundleId: string }) {
  const { db } = deps
  const composed = await compose(deps, 'letter.bundle', payload)
  if (!composed) {
    await bundles.markBundleStopped(db, payload.bundleId, outboxId)
    return 'nothing-to-send' as const
  }
  if (await neverAgain(deps, composed.to)) {
    await bundles.markBundleStopped(db, payload.bundleId, outboxId)
    return 'suppressed' as const
  }
  const wait = await deps.pace?.(mailDomain(composed.to))
  if (wait !== undefined) throw new MailDeferred(wait)
  try {
    await deps.mailer.send({
      to: composed.to,
      ...composed.email,
      messageId: messageId(deps.config, `outbox:${outboxId}`),
      kind: 'letter.bundle',
    })
  } catch (err) {
    if (!isPermanent(err)) throw err
    await bundles.markBundleBounced(db, payload.bundleId, outboxId)
    return 'bounced' as const
  }
  await bundles.markBundleSent(db, payload.bundleId, outboxId, composed.sendIds ?? [])
  return 'sent' as const
}

/**
 * The petition to a target, for one organizer's click: written from the petition as it stands,
 * sent once (its delivery row leaves 'queued' with the outbox row done, in one transaction), and
 * a refusal (5xx) stops letters to that address as a letter's would, instead of failing the job.
 */
async function deliverPetition(
  deps: MessageDeps,
  outboxId: string,
  payload: { deliveryId: string },
): Promise<DeliveryResult> {
  const { db } = deps
  const composed = await compose(deps, 'petition.deliver', payload)
  if (!composed) {
    await petitions.markStopped(db, payload.deliveryId, outboxId)
    return 'nothing-to-send'
  }
  if (await neverAgain(deps, composed.to)) {
    await petitions.markStopped(db, payload.deliveryId, outboxId)
    return 'suppressed'
  }
  const wait = await deps.pace?.(mailDomain(composed.to))
  if (wait !== undefined) throw new MailDeferred(wait)
  try {
    await deps.mailer.send({
      to: composed.to,
      ...composed.email,
      messageId: messageId(deps.config, `outbox:${outboxId}`),
      kind: 'petition.deliver',
    })
  } catch (err) {
    if (!isPermanent(err)) throw err
    await petitions.markBounced(db, payload.deliveryId, outboxId)
    return 'bounced'
  }
  await petitions.markSent(db, payload.deliveryId, outboxId, composed.signatureCount ?? 0)
  return 'sent'
}

/**
 * An address that bounced or complained gets no email of any kind again, erased or not, whatever
 * someone asks for it (a confirmation, "you already signed", an invitation). Except the erasure
 * link: while we hold something for the address, its owner may still have it erased.
 */
async function neverAgain(deps: MessageDeps, to: string): Promise<boolean> {
  const key = emailKey(to)
  const found = await suppressedAmong(deps.db, deps.config.secretKey, [key], NEVER_AGAIN)
  return found.has(key)
}

/**
 * Whether this inbox may be written to about this subject now (the cooldown on the base mailbox:
 * sub-addresses are one inbox). Only the emails anyone can ask for by typing an address; alerts
 * and digests go to confirmed subscribers by another queue, and invitations come from organizers.
 */
async function inboxFree(deps: MessageDeps, id: string, kind: MailKind, payload: unknown, to: string) {
  const { db, config } = deps
  let subject: string | undefined
  switch (kind) {
    case 'signature.confirm':
    case 'signature.already':
      subject = `campaign:${await cooldown.campaignOfSignature(db, outboxPayloads[kind].parse(payload).signatureId)}`
      break
    case 'letter.confirm':
      subject = `letters:${await letters.campaignOf(db, outboxPayloads[kind].parse(payload).letterId)}`
      break
    case 'subscriber.confirm':
    case 'subscriber.already':
      subject = 'alerts'
      break
    case 'erasure.link':
      subject = 'erasure'
      break
    default:
      return true
  }
  return cooldown.claim(db, cooldown.cooldownKey(config, to, subject), id, config.emailCooldownSeconds)
}

/** The email a row asks for: its own kind, or for a repeat what the worker decides, once. */
function decide(deps: MessageDeps, id: string, kind: OutboxKind, payload: unknown): Promise<MailKind | undefined> {
  switch (kind) {
    case 'signature.repeat':
      return resolveSignatureRepeat(deps.db, deps.config, id, outboxPayloads[kind].parse(payload).signatureId)
    case 'letter.repeat':
      return resolveLetterRepeat(deps.db, deps.config, id, outboxPayloads[kind].parse(payload).letterId)
    case 'subscriber.repeat':
      return resolveSubscriberRepeat(deps.db, deps.config, id, outboxPayloads[kind].parse(payload))
    case 'erasure.request':
      return resolveErasureRequest(deps.db, deps.config, id, outboxPayloads[kind].parse(payload).requestId)
    default:
      return Promise.resolve(kind)
  }
}
