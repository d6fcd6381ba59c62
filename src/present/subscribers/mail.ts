// The emails of the subscription flow: the opt-in link with what it confirms, and "you already receive alerts".
import type { OutboxPayload } from '../../jobs/index.ts'
import { formatMoment } from '../../i18n/index.ts'
import { toLocale } from '../../locale.ts'
import type { Composed } from '../../modules/messages/service.ts'
import * as subscribers from '../../modules/subscribers/repository.ts'
import { subscriberLinks, subscriptionConfirmUrl } from '../alerts/mail.ts'
import type { PresentDeps } from '../email/deps.ts'
import { subscriptionChoiceLines } from './choices.ts'

export async function composeSubscriberConfirm(
  deps: PresentDeps,
  { subscriberId }: OutboxPayload<'subscriber.confirm'>,
): Promise<Composed> {
  const s = await subscribers.findForMail(deps.db, subscriberId)
  if (!s || s.status !== 'pending') return undefined // confirmed or gone meanwhile
  const locale = toLocale(s.locale) ?? 'en'
  const confirmUrl = subscriptionConfirmUrl(deps.config, s.nonce, locale)
  // The choices as they are now, when the email is written; the page shows them as they are then.
  const topics = await subscribers.topicsOf(deps.db, s.id)
  const choices = await subscriptionChoiceLines(
    deps.db,
    { locale: s.locale, frequency: s.frequency, all: s.topic_all, ...topics },
    locale,
  )
  const until = s.confirm_expires_at ? formatMoment(locale, s.confirm_expires_at) : undefined
  const email = deps.render(
    'subscriber-confirm',
    locale,
    { key: 'mail.sub.confirm.subject' },
    { title: '', confirmUrl, choices, until },
  )
  return { to: s.email, email }
}

export async function composeSubscriberAlready(
  deps: PresentDeps,
  { subscriberId }: OutboxPayload<'subscriber.already'>,
): Promise<Composed> {
  const s = await subscribers.findForMail(deps.db, subscriberId)
  if (!s || s.status !== 'active') return undefined
  const locale = toLocale(s.locale) ?? 'en'
  const { preferencesUrl } = subscriberLinks(deps.config, s.nonce, locale)
  const email = deps.render(
    'subscriber-already',
    locale,
    { key: 'mail.sub.already.subject' },
    { title: '', preferencesUrl },
  )
  return { to: s.email, email }
}
