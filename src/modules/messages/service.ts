// Turns an outbox row into a sent email: load by id, render in the recipient's language, send.
import type { Config } from '../../config.ts'
import type { Db } from '../../db/index.ts'
import { toLocale } from '../../i18n/index.ts'
import { isOutboxKind, outboxPayloads } from '../../jobs/index.ts'
import type { EmailRenderer } from '../../mail/render.ts'
import type { Mailer } from '../../mail/transport.ts'
import { confirmToken } from '../../security.ts'
import * as campaigns from '../campaigns/repository.ts'
import { localise } from '../campaigns/present.ts'
import * as outbox from '../outbox/repository.ts'
import * as signatures from '../signatures/repository.ts'
import { CONFIRM_PURPOSE } from '../signatures/service.ts'

export interface MessageDeps {
  db: Db
  config: Config
  mailer: Mailer
  render: EmailRenderer
}

export type DeliveryResult = 'sent' | 'already-sent' | 'gone'

/**
 * Sends the email an outbox row asks for, once: a row marked done is not sent again, so a job
 * retried after a successful send (a worker killed before acking) does not mail twice unless the
 * kill fell between the SMTP answer and the mark.
 */
export async function deliverOutboxMessage(deps: MessageDeps, outboxId: string): Promise<DeliveryResult> {
  const row = await outbox.find(deps.db, outboxId)
  if (!row || !isOutboxKind(row.kind)) return 'gone'
  if (row.done_at) return 'already-sent'
  const { signatureId } = outboxPayloads[row.kind].parse(row.payload)
  const signature = await signatures.findForMail(deps.db, signatureId)
  const campaign = signature && (await campaigns.findBySlug(deps.db, signature.slug))
  if (!signature || !campaign) {
    await outbox.markDone(deps.db, outboxId) // erased meanwhile: nothing to send
    return 'gone'
  }
  const locale = toLocale(signature.locale) ?? 'en'
  const texts = localise(campaign, locale)
  const { config } = deps
  const campaignUrl = `${config.publicUrl}/campaigns/${encodeURIComponent(campaign.slug)}`
  const email =
    row.kind === 'signature.confirm'
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
  await deps.mailer.send({
    to: signature.email,
    ...email,
    messageId: `<${row.kind}.${row.id}@${new URL(config.publicUrl).hostname}>`,
  })
  await outbox.markDone(deps.db, outboxId)
  return 'sent'
}
