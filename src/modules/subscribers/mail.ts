// The emails of the subscription flow: the opt-in link, and "you already receive alerts".
import { toLocale } from '../../i18n/index.ts'
import type { OutboxPayload } from '../../jobs/index.ts'
import { subscriberLinks, subscriptionConfirmUrl } from '../alerts/compose.ts'
import type { Composed, MessageDeps } from '../messages/service.ts'
import * as subscribers from './repository.ts'

export async function composeSubscriberConfirm(
  deps: MessageDeps,
  { subscriberId }: OutboxPayload<'subscriber.confirm'>,
): Promise<Composed> {
  const s = await subscribers.findForMail(deps.db, subscriberId)
  if (!s || s.status !== 'pending') return undefined // confirmed or gone meanwhile
  const locale = toLocale(s.locale) ?? 'en'
  const confirmUrl = subscriptionConfirmUrl(deps.config, s.nonce)
  const email = deps.render('subscriber-confirm', locale, { key: 'mail.sub.confirm.subject' }, { title: '', confirmUrl })
  return { to: s.email, email }
}

export async function composeSubscriberAlready(
  deps: MessageDeps,
  { subscriberId }: OutboxPayload<'subscriber.already'>,
): Promise<Composed> {
  const s = await subscribers.findForMail(deps.db, subscriberId)
  if (!s || s.status !== 'active') return undefined
  const locale = toLocale(s.locale) ?? 'en'
  const { preferencesUrl } = subscriberLinks(deps.config, s.nonce)
  const email = deps.render('subscriber-already', locale, { key: 'mail.sub.already.subject' }, { title: '', preferencesUrl })
  return { to: s.email, email }
}
