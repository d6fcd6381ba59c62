// Subscriptions to alerts: double opt-in through the same scanner-safe confirm page as
// signatures, one-click unsubscribe, and a preferences page reached from every alert.
import type { Config } from '../../config.ts'
import type { Db, Trx } from '../../db/index.ts'
import type { Frequency, Locale } from '../../db/types.ts'
import { AppError } from '../../errors.ts'
import type { OutboxPayload } from '../../jobs/index.ts'
import { randomNonce, verifyConfirmToken } from '../../security.ts'
import * as campaigns from '../campaigns/repository.ts'
import * as outbox from '../outbox/repository.ts'
import { emailKey } from '../signatures/email-key.ts'
import { unsubscribeTokenIn } from './mailto.ts'
import * as subscribers from './repository.ts'

export const PURPOSE = {
  confirm: 'subscriber-confirm',
  unsubscribe: 'subscriber-unsubscribe',
  preferences: 'subscriber-preferences',
} as const

export interface SubscribeInput {
  email: string
  locale?: Locale | undefined
  frequency?: Frequency | undefined
  topics?: { campaigns?: string[] | undefined; provinces?: string[] | undefined } | undefined
}

/** Campaign slugs to ids; an unknown or draft slug is a field error, not a silent drop. */
async function resolveTopics(db: Db, topics: SubscribeInput['topics']): Promise<subscribers.Topics> {
  const slugs = [...new Set(topics?.campaigns ?? [])]
  const provinces = [...new Set((topics?.provinces ?? []).map(subscribers.normaliseProvince))].filter(Boolean)
  const campaignIds: string[] = []
  for (const slug of slugs) {
    const c = await campaigns.findBySlug(db, slug)
    if (!c || c.status === 'draft') {
      throw new AppError('invalid_input', 'Some fields are not valid.', { 'topics.campaigns': `no campaign has the slug ${slug}` })
    }
    campaignIds.push(c.id)
  }
  return { all: campaignIds.length === 0 && provinces.length === 0, campaignIds, provinces }
}

/**
 * Asks for alerts. Whatever the address's state, the caller learns nothing, from the answer or
 * its timing: one statement inserts a new address, or notes the request for a known one, which
 * the mail worker resolves (`resolveRepeat`).
 */
export async function subscribe(db: Db, config: Config, input: SubscribeInput, locale: Locale) {
  const topics = await resolveTopics(db, input.topics)
  await subscribers.insertOrNoteRepeat(
    db,
    { email: input.email.trim(), emailKey: emailKey(input.email), nonce: randomNonce(), confirmExpiresAt: confirmationExpiry(config) },
    {
      locale: input.locale ?? locale,
      frequency: input.frequency ?? 'immediate',
      topicAll: topics.all,
      campaignIds: topics.campaignIds,
      provinces: topics.provinces,
    },
  )
}

const confirmationExpiry = (config: Config) => new Date(Date.now() + config.confirmTokenDays * 86_400_000)

export type RepeatOutcome = 'subscriber.confirm' | 'subscriber.already' | undefined

/**
 * What a repeat subscription gets, decided by the mail worker in one transaction and written onto
 * its outbox row, so that a retried job sends what was decided: nothing within the email
 * cooldown (another email would only help someone flood this inbox); an active address, an email
 * with its preferences link; a pending, unsubscribed or suppressed one, the latest request's
 * choices, confirmed by the same link again.
 */
export async function resolveRepeat(
  db: Db,
  config: Config,
  outboxId: string,
  repeat: OutboxPayload<'subscriber.repeat'>,
): Promise<RepeatOutcome> {
  return db.transaction().execute(async (trx) => {
    const existing = await subscribers.lockForRepeat(trx, repeat.subscriberId, config.emailCooldownSeconds)
    if (!existing || existing.recently_emailed) {
      await outbox.markDone(trx, outboxId)
      return undefined
    }
    await subscribers.markEmailed(trx, existing.id)
    let kind: RepeatOutcome = 'subscriber.already'
    // Active but bounced or complained gets no alerts: it confirms again, which lifts that.
    if (existing.status !== 'active' || existing.suppressed) {
      const { request } = repeat
      await subscribers.update(trx, existing.id, {
        status: 'pending',
        locale: request.locale,
        frequency: request.frequency,
        topicAll: request.topicAll,
        confirmExpiresAt: confirmationExpiry(config),
      })
      await subscribers.replaceTopics(trx, existing.id, { all: request.topicAll, campaignIds: request.campaignIds, provinces: request.provinces })
      kind = 'subscriber.confirm'
    }
    await outbox.setKind(trx, outboxId, kind)
    return kind
  })
}

async function byToken(db: Db | Trx, config: Config, purpose: string, token: string) {
  const nonce = verifyConfirmToken(config.secretKey, purpose, token)
  return nonce ? subscribers.findByNonce(db, nonce) : undefined
}

export type SubscriberLinkState = 'pending' | 'active' | 'unsubscribed' | 'invalid'

export async function inspectConfirm(db: Db, config: Config, token: string): Promise<SubscriberLinkState> {
  const s = await byToken(db, config, PURPOSE.confirm, token)
  if (!s) return 'invalid'
  if (s.status === 'pending' && (!s.confirm_expires_at || s.confirm_expires_at.getTime() <= Date.now())) return 'invalid'
  return s.status
}

export async function confirmSubscriber(db: Db, config: Config, token: string): Promise<'confirmed' | SubscriberLinkState> {
  return db.transaction().execute(async (trx) => {
    const s = await byToken(trx, config, PURPOSE.confirm, token)
    if (!s) return 'invalid'
    const locked = await subscribers.lockByEmailKey(trx, s.email_key)
    if (locked.status !== 'pending') return locked.status
    if (!s.confirm_expires_at || s.confirm_expires_at.getTime() <= Date.now()) return 'invalid'
    await subscribers.update(trx, s.id, { status: 'active', confirmExpiresAt: null })
    await subscribers.liftSuppression(trx, s.email_key)
    return 'confirmed'
  })
}

export async function inspectUnsubscribe(db: Db, config: Config, token: string): Promise<SubscriberLinkState> {
  const s = await byToken(db, config, PURPOSE.unsubscribe, token)
  return s ? s.status : 'invalid'
}

/** One click, no cookie, no form token: the token in the URL is the authority (RFC 8058). */
export async function unsubscribe(db: Db, config: Config, token: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const s = await byToken(trx, config, PURPOSE.unsubscribe, token)
    if (!s) return false
    await subscribers.update(trx, s.id, { status: 'unsubscribed' })
    await subscribers.suppress(trx, s.email_key, 'unsubscribed')
    return true
  })
}

/**
 * An unsubscribe mailed to the List-Unsubscribe mailto: address. Its token is the authority, as
 * for the one-click POST; who sent the message does not matter (a From: line proves nothing).
 */
export async function unsubscribeByMail(db: Db, config: Config, message: string): Promise<'unsubscribed' | 'no-token' | 'invalid'> {
  const token = unsubscribeTokenIn(message)
  if (!token) return 'no-token'
  return (await unsubscribe(db, config, token)) ? 'unsubscribed' : 'invalid'
}

export async function preferencesOf(db: Db, config: Config, token: string) {
  const s = await byToken(db, config, PURPOSE.preferences, token)
  if (!s || s.status !== 'active') return undefined
  const topics = await subscribers.topicsOf(db, s.id)
  return { id: s.id, locale: s.locale, frequency: s.frequency, all: s.topic_all, ...topics }
}

export async function savePreferences(
  db: Db,
  config: Config,
  token: string,
  input: { locale: Locale; frequency: Frequency; topics: SubscribeInput['topics'] },
) {
  const topics = await resolveTopics(db, input.topics)
  return db.transaction().execute(async (trx) => {
    const s = await byToken(trx, config, PURPOSE.preferences, token)
    if (!s || s.status !== 'active') return false
    await subscribers.update(trx, s.id, { locale: input.locale, frequency: input.frequency, topicAll: topics.all })
    await subscribers.replaceTopics(trx, s.id, topics)
    return true
  })
}

/**
 * A petition signer who ticked "alerts" follows that campaign once the signature is confirmed:
 * the confirmation was their opt-in, so no second email.
 */
export async function subscribeSigner(
  trx: Trx,
  signer: { email: string; locale: string; campaignId: string },
) {
  const key = emailKey(signer.email)
  const id = await subscribers.insertIfNew(trx, {
    email: signer.email,
    emailKey: key,
    locale: signer.locale,
    frequency: 'immediate',
    status: 'active',
    topicAll: false,
    nonce: randomNonce(),
    confirmExpiresAt: null,
  })
  if (id) {
    await subscribers.addTopics(trx, id, { campaignIds: [signer.campaignId], provinces: [] })
  } else {
    const existing = await subscribers.lockByEmailKey(trx, key)
    if (existing.status !== 'active') {
      await subscribers.update(trx, existing.id, { status: 'active', topicAll: false, confirmExpiresAt: null })
      await subscribers.replaceTopics(trx, existing.id, { all: false, campaignIds: [signer.campaignId], provinces: [] })
    } else if (!existing.topic_all) {
      await subscribers.addTopics(trx, existing.id, { campaignIds: [signer.campaignId], provinces: [] })
    }
  }
  await subscribers.liftSuppression(trx, key)
}

export const knownProvinces = subscribers.knownProvinces
