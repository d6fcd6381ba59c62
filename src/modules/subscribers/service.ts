// Subscriptions to alerts: double opt-in through the same scanner-safe confirm page as
// signatures, one-click unsubscribe, and a preferences page reached from every alert.
import type { Config } from '../../config.ts'
import type { Db, Trx } from '../../db/index.ts'
import type { Frequency, Locale } from '../../db/types.ts'
import { AppError } from '../../errors.ts'
import type { OutboxPayload } from '../../jobs/index.ts'
import { randomNonce, sha256, verifyConfirmToken } from '../../security.ts'
import * as campaigns from '../campaigns/repository.ts'
import * as outbox from '../outbox/repository.ts'
import { emailKey } from '../email-key.ts'
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
export async function resolveTopics(db: Db, topics: SubscribeInput['topics']): Promise<subscribers.Topics> {
  const slugs = [...new Set(topics?.campaigns ?? [])]
  const provinces = [...new Set((topics?.provinces ?? []).map(subscribers.normaliseProvince))].filter(Boolean)
  const campaignIds: string[] = []
  for (const slug of slugs) {
    const c = await campaigns.findBySlug(db, slug)
    if (!c || c.status === 'draft') {
      throw new AppError('invalid_input', {
        'topics.campaigns': { key: 'error.unknownCampaignSlug', params: { slug } },
      })
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
    {
      email: input.email.trim(),
      emailKey: emailKey(input.email),
      nonce: randomNonce(),
      confirmExpiresAt: confirmationExpiry(config),
    },
    {
      locale: input.locale ?? locale,
      frequency: input.frequency ?? 'immediate',
      topicAll: topics.all,
      campaignIds: topics.campaignIds,
      provinces: topics.provinces,
    },
  )
}

export const confirmationExpiry = (config: Config) => new Date(Date.now() + config.confirmTokenDays * 86_400_000)

export type RepeatOutcome = 'subscriber.confirm' | 'subscriber.already' | undefined

/**
 * What a repeat subscription gets, decided by the mail worker in one transaction and written onto
 * its outbox row, so that a retried job sends what was decided. A pending address takes the
 * latest request's choices first, within the email cooldown too, so that its confirm link
 * confirms what its owner asked last, not what someone else asked first; its link keeps the
 * expiry of the request that started it (a repeat never keeps it alive; one expired starts
 * afresh). Then nothing within the cooldown (another email would only help someone flood this
 * inbox); an active address, an email with its preferences link; an unsubscribed or suppressed
 * one, the latest request's choices, confirmed by the same link again.
 */
export async function resolveRepeat(
  db: Db,
  config: Config,
  outboxId: string,
  repeat: OutboxPayload<'subscriber.repeat'>,
): Promise<RepeatOutcome> {
  return db.transaction().execute(async (trx) => {
    const existing = await subscribers.lockForRepeat(trx, repeat.subscriberId, config.emailCooldownSeconds)
    const { request } = repeat
    const takeRequest = async (confirmExpiresAt: Date | undefined) => {
      await subscribers.update(trx, existing!.id, {
        status: 'pending',
        locale: request.locale,
        frequency: request.frequency,
        topicAll: request.topicAll,
        ...(confirmExpiresAt ? { confirmExpiresAt } : {}),
      })
      await subscribers.replaceTopics(trx, existing!.id, {
        all: request.topicAll,
        campaignIds: request.campaignIds,
        provinces: request.provinces,
      })
    }
    if (existing?.status === 'pending') {
      const expired = !existing.confirm_expires_at || existing.confirm_expires_at.getTime() <= Date.now()
      await takeRequest(expired ? confirmationExpiry(config) : undefined)
    }
    if (!existing || existing.recently_emailed) {
      await outbox.markDone(trx, outboxId)
      return undefined
    }
    await subscribers.markEmailed(trx, existing.id)
    let kind: RepeatOutcome = 'subscriber.already'
    // Active but suppressed gets no alerts: confirming again lifts an unsubscribe. A bounce or a
    // complaint is never lifted, and the mail worker sends that address nothing (messages/service.ts).
    const suppressed = (await subscribers.suppressedAmong(trx, config.secretKey, [existing.email_key])).size > 0
    if (existing.status !== 'active' || suppressed) {
      if (existing.status !== 'pending') await takeRequest(confirmationExpiry(config))
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

const confirmable = (s: { status: string; confirm_expires_at: Date | null }) =>
  s.status === 'pending' && !!s.confirm_expires_at && s.confirm_expires_at.getTime() > Date.now()

export async function inspectConfirm(db: Db, config: Config, token: string): Promise<SubscriberLinkState> {
  const s = await byToken(db, config, PURPOSE.confirm, token)
  if (!s) return 'invalid'
  if (s.status === 'pending' && !confirmable(s)) return 'invalid'
  return s.status
}

/** What a pending subscription confirms: the choices of the latest request made with its address. */
export interface SubscriptionChoices {
  locale: string
  frequency: Frequency
  all: boolean
  campaigns: { id: string; slug: string; title: string }[]
  provinces: string[]
}

async function choicesOf(db: Db | Trx, s: { id: string; locale: string; frequency: Frequency; topic_all: boolean }) {
  const topics = await subscribers.topicsOf(db, s.id)
  const choices: SubscriptionChoices = { locale: s.locale, frequency: s.frequency, all: s.topic_all, ...topics }
  return choices
}

/** A short digest of the choices the confirm page shows, sent back by its button. */
export function subscriptionDigest(c: SubscriptionChoices): string {
  const campaigns = c.campaigns.map((x) => x.id).sort()
  const provinces = [...c.provinces].sort()
  return sha256(JSON.stringify([c.locale, c.frequency, c.all, campaigns, provinces]))
    .subarray(0, 12)
    .toString('base64url')
}

/** The choices a confirm link's page shows (and the digest its button sends back); none unless pending. */
export async function confirmationChoices(db: Db, config: Config, token: string) {
  const s = await byToken(db, config, PURPOSE.confirm, token)
  if (!s || !confirmable(s)) return undefined
  const choices = await choicesOf(db, s)
  return { choices, shown: subscriptionDigest(choices) }
}

/**
 * Confirms what the page showed (`shown`, its digest; without it, the current choices): 'changed'
 * when a repeat changed them meanwhile, and the page shows them again.
 */
export async function confirmSubscriber(
  db: Db,
  config: Config,
  token: string,
  shown?: string,
): Promise<'confirmed' | 'changed' | SubscriberLinkState> {
  return db.transaction().execute(async (trx) => {
    const s = await byToken(trx, config, PURPOSE.confirm, token)
    if (!s) return 'invalid'
    const locked = await subscribers.lockByEmailKey(trx, s.email_key)
    if (locked.status !== 'pending') return locked.status
    const current = await subscribers.findByNonce(trx, s.nonce) // as the lock left it
    if (!current || !confirmable(current)) return 'invalid'
    if (shown !== undefined && shown !== subscriptionDigest(await choicesOf(trx, current))) return 'changed'
    await subscribers.update(trx, s.id, { status: 'active', confirmExpiresAt: null })
    await subscribers.liftUnsubscribe(trx, s.email_key)
    return 'confirmed'
  })
}

export async function inspectUnsubscribe(db: Db, config: Config, token: string): Promise<SubscriberLinkState> {
  const s = await byToken(db, config, PURPOSE.unsubscribe, token)
  return s ? s.status : 'invalid'
}

/** One click, no cookie, no form token: the token in the URL is the authority (RFC 8058). */
export async function unsubscribe(db: Db, config: Config, token: string): Promise<boolean> {
  return unsubscribeBy(db, config, PURPOSE.unsubscribe, token)
}

/** The same from the preferences page's button: its link is the subscriber's too. */
export async function unsubscribeFromPreferences(db: Db, config: Config, token: string): Promise<boolean> {
  return unsubscribeBy(db, config, PURPOSE.preferences, token)
}

/** What a preferences link leads to: the page, or the news that its subscriber unsubscribed. */
export async function inspectPreferences(db: Db, config: Config, token: string): Promise<SubscriberLinkState> {
  const s = await byToken(db, config, PURPOSE.preferences, token)
  return s ? s.status : 'invalid'
}

async function unsubscribeBy(db: Db, config: Config, purpose: string, token: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const s = await byToken(trx, config, purpose, token)
    if (!s) return false
    await subscribers.update(trx, s.id, { status: 'unsubscribed' })
    await subscribers.suppress(trx, config.secretKey, s.email_key, 'unsubscribed')
    return true
  })
}

/**
 * An unsubscribe mailed to the List-Unsubscribe mailto: address. Its token is the authority, as
 * for the one-click POST; who sent the message does not matter (a From: line proves nothing).
 */
export async function unsubscribeByMail(
  db: Db,
  config: Config,
  message: string,
): Promise<'unsubscribed' | 'no-token' | 'invalid'> {
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

/** What a signer's "alerts" tick did: follow the campaign, or nothing for a suppressed address. */
export type SignerAlerts = 'started' | 'held'

/**
 * A petition signer who ticked "alerts" follows that campaign once the signature is confirmed:
 * the confirmation was their opt-in, so no second email. An address that unsubscribed, bounced or
 * complained stays as it is ('held'): the tick may be someone else's, set when they signed as this
 * address first, so only an opt-in to alerts themselves (the alerts page) lifts an unsubscribe; a
 * bounce or complaint is never lifted (messages/service.ts sends that address nothing).
 */
export async function subscribeSigner(
  trx: Trx,
  config: Pick<Config, 'secretKey'>,
  signer: { email: string; locale: string; campaignId: string },
): Promise<SignerAlerts> {
  const key = emailKey(signer.email)
  if ((await subscribers.suppressedAmong(trx, config.secretKey, [key])).size > 0) return 'held'
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
  return 'started'
}

export const knownProvinces = subscribers.knownProvinces
