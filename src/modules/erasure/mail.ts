// The email of the erasure flow: one link to the page whose button erases.
import { toLocale } from '../../i18n/index.ts'
import type { OutboxPayload } from '../../jobs/index.ts'
import { confirmToken } from '../../security.ts'
import type { Composed, MessageDeps } from '../messages/service.ts'
import * as erasure from './repository.ts'
import { ERASE_PURPOSE, LINK_HOURS } from './service.ts'

export function erasureUrl(publicUrl: string, secretKey: string, nonce: Buffer) {
  return `${publicUrl}/privacy/erase/${confirmToken(secretKey, ERASE_PURPOSE, nonce)}`
}

export async function composeErasureLink(deps: MessageDeps, { requestId }: OutboxPayload<'erasure.link'>): Promise<Composed> {
  const request = await erasure.find(deps.db, requestId)
  if (!request?.email_key || request.used_at || request.expires_at.getTime() <= Date.now()) return undefined
  // Erased through an earlier link meanwhile: nothing left to write to.
  const recipient = await erasure.recipientFor(deps.db, request.email_key)
  if (!recipient) return undefined
  const locale = toLocale(recipient.locale) ?? 'en'
  const eraseUrl = erasureUrl(deps.config.publicUrl, deps.config.secretKey, request.nonce)
  const email = deps.render('erasure-link', locale, { key: 'mail.erase.subject' }, { title: '', eraseUrl, hours: LINK_HOURS })
  return { to: recipient.email, email }
}
