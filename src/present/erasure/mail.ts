// The email of the erasure flow: one link to the page whose button erases.
import type { OutboxPayload } from '../../jobs/index.ts'
import { inLanguage, toLocale } from '../../locale.ts'
import * as erasure from '../../modules/erasure/repository.ts'
import { ERASE_PURPOSE, erasureLinkState, LINK_HOURS } from '../../modules/erasure/service.ts'
import type { Composed } from '../../modules/messages/service.ts'
import { confirmToken } from '../../security.ts'
import type { PresentDeps } from '../email/deps.ts'

function erasureUrl(publicUrl: string, secretKey: string, nonce: Buffer) {
  return `${publicUrl}/privacy/erase/${confirmToken(secretKey, ERASE_PURPOSE, nonce)}`
}

export async function composeErasureLink(
  deps: PresentDeps,
  { requestId }: OutboxPayload<'erasure.link'>,
): Promise<Composed> {
  const request = await erasure.find(deps.db, requestId)
  if (erasureLinkState(request) !== 'ready' || !request?.email_key) return undefined
  // Erased through an earlier link meanwhile: nothing left to write to.
  const recipient = await erasure.recipientFor(deps.db, request.email_key)
  if (!recipient) return undefined
  const locale = toLocale(recipient.locale) ?? 'en'
  const eraseUrl = inLanguage(erasureUrl(deps.config.publicUrl, deps.config.secretKey, request.nonce), locale)
  const email = deps.render(
    'erasure-link',
    locale,
    { key: 'mail.erase.subject' },
    { title: '', eraseUrl, hours: LINK_HOURS },
  )
  return { to: recipient.email, email }
}
