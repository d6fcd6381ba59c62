// Turns an outbox row into a sent email: load by id, render in the recipient's language, send.
import type { Config } from '../../config.ts'
import type { Db } from '../../db/index.ts'
import { toLocale } from '../../i18n/index.ts'
import { isOutboxKind, outboxPayloads, type OutboxKind, type OutboxPayload } from '../../jobs/index.ts'
import type { EmailRenderer, RenderedEmail } from '../../mail/render.ts'
import type { Mailer } from '../../mail/transport.ts'
import { confirmToken } from '../../security.ts'
import { composeInvitation } from '../accounts/mail.ts'
import { composeErasureLink } from '../erasure/mail.ts'
import { resolveRequest as resolveErasureRequest } from '../erasure/service.ts'
import { composeSubscriberAlready, composeSubscriberConfirm } from '../subscribers/mail.ts'
import * as campaigns from '../campaigns/repository.ts'
import { localise } from '../campaigns/present.ts'
import * as outbox from '../outbox/repository.ts'
import * as signatures from '../signatures/repository.ts'
import { CONFIRM_PURPOSE, resolveRepeat as resolveSignatureRepeat } from '../signatures/service.ts'
import { resolveRepeat as resolveSubscriberRepeat } from '../subscribers/service.ts'

export interface MessageDeps {
  db: Db
  config: Config
  mailer: Mailer
  render: EmailRenderer
}

export type DeliveryResult = 'sent' | 'already-sent' | 'gone' | 'nothing-to-send'

/** An email ready to send, or undefined when what it was about is gone (erased, used meanwhile). */
export type Composed = { to: string; email: RenderedEmail; headers?: Record<string, string> } | undefined
type Composer<K extends OutboxKind> = (deps: MessageDeps, payload: OutboxPayload<K>) => Promise<Composed>
/** A repeat (signing or subscribing again) or an erasure request is an email only once the worker has decided which. */
type MailKind = Exclude<OutboxKind, 'signature.repeat' | 'subscriber.repeat' | 'erasure.request'>

// One composer per outbox kind; the type makes a new kind without a composer fail to compile.
const composers: { [K in MailKind]: Composer<K> } = {
  'signature.confirm': (deps, p) => composeSignature(deps, 'signature.confirm', p.signatureId),
  'signature.already': (deps, p) => composeSignature(deps, 'signature.already', p.signatureId),
  'organizer.invite': composeInvitation,
  'subscriber.confirm': composeSubscriberConfirm,
  'subscriber.already': composeSubscriberAlready,
  'erasure.link': composeErasureLink,
}

function compose<K extends MailKind>(deps: MessageDeps, kind: K, payload: unknown): Promise<Composed> {
  return composers[kind](deps, outboxPayloads[kind].parse(payload) as OutboxPayload<K>)
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
  const kind = await decide(deps, row.id, row.kind, row.payload)
  if (!kind) return 'nothing-to-send'
  const composed = await compose(deps, kind, row.payload)
  if (!composed) {
    await outbox.markDone(deps.db, outboxId) // erased meanwhile: nothing to send
    return 'gone'
  }
  await deps.mailer.send({
    to: composed.to,
    ...composed.email,
    ...(composed.headers ? { headers: composed.headers } : {}),
    messageId: `<${kind}.${row.id}@${new URL(deps.config.publicUrl).hostname}>`,
  })
  await outbox.markDone(deps.db, outboxId)
  return 'sent'
}

/** The email a row asks for: its own kind, or for a repeat what the worker decides, once. */
function decide(deps: MessageDeps, id: string, kind: OutboxKind, payload: unknown): Promise<MailKind | undefined> {
  switch (kind) {
    case 'signature.repeat':
      return resolveSignatureRepeat(deps.db, deps.config, id, outboxPayloads[kind].parse(payload).signatureId)
    case 'subscriber.repeat':
      return resolveSubscriberRepeat(deps.db, deps.config, id, outboxPayloads[kind].parse(payload))
    case 'erasure.request':
      return resolveErasureRequest(deps.db, deps.config, id, outboxPayloads[kind].parse(payload).requestId)
    default:
      return Promise.resolve(kind)
  }
}

async function composeSignature(
  deps: MessageDeps,
  kind: 'signature.confirm' | 'signature.already',
  signatureId: string,
): Promise<Composed> {
  const signature = await signatures.findForMail(deps.db, signatureId)
  const campaign = signature && (await campaigns.findBySlug(deps.db, signature.slug))
  if (!signature || !campaign) return undefined
  const locale = toLocale(signature.locale) ?? 'en'
  const texts = localise(campaign, locale)
  const { config } = deps
  const campaignUrl = `${config.publicUrl}/campaigns/${encodeURIComponent(campaign.slug)}`
  const email =
    kind === 'signature.confirm'
      ? deps.render('signature-confirm', locale, { key: 'mail.confirm.subject', params: { title: texts.title } }, {
          name: signature.name,
          title: texts.title,
          campaignUrl,
          confirmUrl: `${config.publicUrl}/confirm/${confirmToken(config.secretKey, CONFIRM_PURPOSE, signature.confirm_nonce)}`,
          days: config.confirmTokenDays,
        })
      : deps.render('signature-already', locale, { key: 'mail.already.subject', params: { title: texts.title } }, {
          name: signature.name,
          title: texts.title,
          campaignUrl,
        })
  return { to: signature.email, email }
}
