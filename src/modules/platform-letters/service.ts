// A supporter asks the platform to send the campaign's letter for them (issue 15): stored pending,
// confirmed by the button in an email, as a signature is, then sent to each target (sends.ts).
import type { RawBuilder, Selectable } from 'kysely'
import type { Config } from '../../config.ts'
import type { Db, Trx } from '../../db/index.ts'
import type { LettersTable, Locale, NewLetter } from '../../db/types.ts'
import { AppError } from '../../errors.ts'
import { hashClient, randomNonce, sha256, verifyConfirmToken } from '../../security.ts'
import type { CampaignRow } from '../campaigns/repository.ts'
import { findPublicCampaign } from '../campaigns/service.ts'
import { emailKey } from '../email-key.ts'
import * as outbox from '../outbox/repository.ts'
import { subscribeSigner, type SignerAlerts } from '../subscribers/service.ts'
import { LETTER_LIMITS } from '../letters/limits.ts'
import * as letters from './repository.ts'
import { scheduleSends } from './sends.ts'
import { letterOf } from '../letters/templates.ts'

export const LETTER_CONFIRM_PURPOSE = 'letter-confirm'

/** A supporter's text may be as long as the campaign's own letter, with at most this many links. */
export const SUPPORTER_LETTER = { body: LETTER_LIMITS.body, links: 3 } as const

export interface LetterInput {
  name: string
  email: string
  country: string
  city?: string | undefined
  body?: string | undefined
  alerts?: boolean | undefined
  /** News of this campaign by email (its updates); on unless the writer says no. */
  updates?: boolean | undefined
}

export interface LetterContext {
  locale: Locale
  ip: string | undefined
}

const LINK =
  /\bhttps?:\/\/|\bwww\.|\b[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.(?:com|org|net|info|biz|ru|cn|io|xyz|top|site|online|me|co|ly|gl)\b/giu

/** Links in a text: a URL, a www. name or a bare name under a common top-level domain. */
export function countLinks(text: string): number {
  return [...text.matchAll(LINK)].length
}

/**
 * Whether a supporter's text is one we would put in front of a decision maker under our name. A
 * text too long or stuffed with links is taken as spam: answered as any request is, never sent.
 */
export function acceptableBody(body: string | undefined): boolean {
  if (body === undefined) return true
  return [...body].length <= SUPPORTER_LETTER.body && countLinks(body) <= SUPPORTER_LETTER.links
}

/**
 * Records a letter request and asks for its confirmation. The outcome is not returned: a first
 * request, a repeat and a refused text must look the same to whoever sent them (the mail worker
 * decides what a repeat gets, in `resolveRepeat`).
 */
export async function requestLetter(
  db: Db,
  config: Config,
  campaign: CampaignRow,
  input: LetterInput,
  ctx: LetterContext,
) {
  if (campaign.status !== 'live') throw new AppError('campaign_closed')
  const body = input.body?.trim() || undefined
  await requireWords(db, campaign.id, body, 'body')
  if (!acceptableBody(body)) return
  const letter = newLetter(config, campaign, { ...input, body }, ctx)
  if (await letters.insertOrNoteRepeat(db, letter)) return
  if ((await findPublicCampaign(db, campaign.slug)).status !== 'live') throw new AppError('campaign_closed')
}

/**
 * Refuses a letter without words when the campaign has no letter of its own: the supporter must
 * write one. `field` names it as the caller's input does.
 */
export async function requireWords(db: Db | Trx, campaignId: string, body: string | undefined, field: string) {
  if (body?.trim() || Object.keys(await letterOf(db, campaignId)).length > 0) return
  throw new AppError('invalid_input', { [field]: 'error.letter.bodyRequired' })
}

/** The row of a letter request; `body` already trimmed and judged (acceptableBody). */
function newLetter(config: Config, campaign: CampaignRow, input: LetterInput, ctx: LetterContext): NewLetter {
  return {
    campaign_id: campaign.id,
    name: input.name,
    email: input.email.trim(),
    email_key: emailKey(input.email),
    country: input.country,
    city: input.city?.trim() || null,
    body: input.body ?? null,
    wants_alerts: input.alerts ?? false,
    wants_updates: input.updates ?? true,
    locale: ctx.locale,
    confirm_nonce: randomNonce(),
    confirm_expires_at: new Date(Date.now() + config.confirmTokenDays * 86_400_000),
    ip_hash: hashClient(config, ctx.ip),
  }
}

/** What a signer adds to have the platform send the campaign's letter too: their own words, or none for the campaign's. */
export interface LetterWithSignature {
  body?: string | undefined
  city?: string | undefined
}

/**
 * The note of the letter a signer asked for with their signature (sign and write in one go), for
 * the signature's own statement to write with it: atomic, one round trip. It emails nothing: the
 * signature's link confirms it (confirmWithSignature). As for a letter alone, a body too long or
 * full of links is answered as success and writes nothing (undefined here); a campaign without a
 * letter of its own needs the signer's words (refused naming `bodyField`, as the caller's input
 * names it: `letter.body` unless said). `campaignHasLetter` is the caller's knowledge (the page
 * cache); asked from the database when not given.
 */
export async function letterWithSignature(
  db: Db,
  config: Config,
  campaign: CampaignRow,
  signer: Omit<LetterInput, 'body' | 'city'>,
  asked: LetterWithSignature,
  ctx: LetterContext & { campaignHasLetter?: boolean | undefined; bodyField?: string | undefined },
): Promise<RawBuilder<boolean> | undefined> {
  const body = asked.body?.trim() || undefined
  if (!body && ctx.campaignHasLetter !== true) await requireWords(db, campaign.id, body, ctx.bodyField ?? 'letter.body')
  if (!acceptableBody(body)) return undefined
  const letter = newLetter(config, campaign, { ...signer, body, city: asked.city }, ctx)
  return letters.noteLetter({ ...letter, with_signature: true })
}

/**
 * Confirms, in the signature's confirming transaction, the letter asked for with it, and queues
 * it to each target (as confirmLetter does). Nothing when there is none.
 */
export async function confirmWithSignature(
  trx: Trx,
  config: Pick<Config, 'letterRatePerHour'>,
  campaignId: string,
  emailKey: string,
) {
  const confirmed = await letters.confirmWithSignature(trx, campaignId, emailKey)
  if (confirmed) await scheduleSends(trx, config, confirmed.id, confirmed.campaign_id)
}

export type LetterTarget = { name: string; organisation: string }

/** The letter a signature's link would also send: to whom (names only), its words and place. */
export interface LetterWithSignatureShown {
  to: LetterTarget[]
  /** The signer's own words; null for the campaign's letter in each target's language. */
  body: string | null
  city: string | null
}

/**
 * When the signature a letter was asked for with is past confirming (signed already, or
 * invalidated), the letter asks for its own confirmation instead: its own email and button. Run
 * by the mail worker as it decides the signature's repeat, so the request's answer says nothing.
 * True when there was such a letter (its confirmation is queued).
 */
export async function confirmLetterOnItsOwn(trx: Trx, campaignId: string, emailKey: string) {
  const letter = await letters.detachFromSignature(trx, campaignId, emailKey)
  if (letter) await outbox.enqueue(trx, 'letter.confirm', { letterId: letter.id })
  return letter !== undefined
}

/** What the signature's link would also send, as its confirm page shows it; undefined when it sends none. */
export async function letterWithSignatureOf(
  db: Db | Trx,
  campaignId: string,
  emailKey: string,
): Promise<LetterWithSignatureShown | undefined> {
  const pending = await letters.pendingWithSignature(db, campaignId, emailKey)
  if (!pending) return undefined
  const to = await letters.recipientsOf(db, campaignId)
  return to.length > 0 ? { to, body: pending.body, city: pending.city } : undefined
}

/** Whom the platform writes to for a campaign: names only, never an address. */
export function letterRecipients(db: Db, campaignId: string) {
  return letters.recipientsOf(db, campaignId)
}

export type RepeatOutcome = 'letter.confirm' | undefined

/**
 * What a repeat request gets, decided once by the mail worker: for a pending letter the link
 * again (its choices are already the repeat's), unless we emailed it within the cooldown; for a
 * confirmed one nothing, since it is sent or on its way and a second email would only help
 * someone flood this inbox. The expiry stays that of the first request.
 */
export async function resolveRepeat(
  db: Db,
  config: Config,
  outboxId: string,
  letterId: string,
): Promise<RepeatOutcome> {
  return db.transaction().execute(async (trx) => {
    const existing = await letters.lockForRepeat(trx, letterId, config.emailCooldownSeconds)
    if (!existing || existing.recently_emailed || existing.status !== 'pending') {
      await outbox.markDone(trx, outboxId)
      return undefined
    }
    await letters.markEmailed(trx, existing.id)
    await outbox.setKind(trx, outboxId, 'letter.confirm')
    return 'letter.confirm'
  })
}

/** What a pending letter's confirmation sends: the choices of the latest request made with its address. */
export interface LetterChoices {
  name: string
  country: string
  city: string | null
  body: string | null
  alerts: boolean
  locale: string
}

type ChoiceColumns = Pick<Selectable<LettersTable>, 'name' | 'country' | 'city' | 'body' | 'wants_alerts' | 'locale'>

export const choicesOf = (row: ChoiceColumns): LetterChoices => ({
  name: row.name,
  country: row.country,
  city: row.city,
  body: row.body,
  alerts: row.wants_alerts,
  locale: row.locale,
})

/** The digest of what the confirm page shows, sent back by its button (see signatures' choicesDigest). */
export function choicesDigest(choices: LetterChoices): string {
  const { name, country, city, body, alerts, locale } = choices
  return sha256(JSON.stringify(['letter', name, country, city, body, alerts, locale]))
    .subarray(0, 12)
    .toString('base64url')
}

export type LetterConfirmState =
  | {
      state: 'pending'
      slug: string
      choices: LetterChoices
      /** Whom the button sends it to: names only. */
      recipients: { name: string; organisation: string }[]
      shown: string
      changed: boolean
    }
  | { state: 'confirmed'; slug: string; justNow: boolean; alerts: SignerAlerts | undefined }
  | { state: 'invalid' }

/** What a link points at, read-only: the page a GET shows, with what its button would send. */
export async function inspectConfirmation(db: Db, config: Config, token: string): Promise<LetterConfirmState> {
  const nonce = verifyConfirmToken(config.secretKey, LETTER_CONFIRM_PURPOSE, token)
  if (!nonce) return { state: 'invalid' }
  const row = await letters.findByNonce(db, nonce)
  if (!row) return { state: 'invalid' }
  if (row.status === 'confirmed') return { state: 'confirmed', slug: row.slug, justNow: false, alerts: undefined }
  if (row.confirm_expires_at.getTime() <= Date.now()) return { state: 'invalid' }
  const choices = choicesOf(row)
  return {
    state: 'pending',
    slug: row.slug,
    choices,
    recipients: await letters.recipientsOf(db, row.campaign_id),
    shown: choicesDigest(choices),
    changed: false,
  }
}

/**
 * Confirms once what the page showed (`shown`; without it, the current choices), and in the same
 * transaction queues the letter to each target: a letter is never sent before it is confirmed,
 * and never twice to a target.
 */
export async function confirmLetter(
  db: Db,
  config: Config,
  token: string,
  shown?: string,
): Promise<LetterConfirmState> {
  const nonce = verifyConfirmToken(config.secretKey, LETTER_CONFIRM_PURPOSE, token)
  if (!nonce) return { state: 'invalid' }
  const outcome = await db.transaction().execute(async (trx) => {
    const row = await letters.lockByNonce(trx, nonce)
    if (!row || row.status !== 'pending') return undefined
    if (shown !== undefined && shown !== choicesDigest(choicesOf(row))) return 'changed' as const
    const confirmed = await letters.confirmById(trx, row.id)
    if (!confirmed) return undefined
    await scheduleSends(trx, config, confirmed.id, confirmed.campaign_id)
    if (!confirmed.wants_alerts) return { alerts: undefined }
    const alerts = await subscribeSigner(trx, config, {
      email: confirmed.email,
      locale: confirmed.locale,
      campaignId: confirmed.campaign_id,
    })
    return { alerts }
  })
  const state = await inspectConfirmation(db, config, token)
  if (outcome === 'changed') return state.state === 'pending' ? { ...state, changed: true } : state
  if (outcome && state.state === 'confirmed') return { ...state, justNow: true, alerts: outcome.alerts }
  return state.state === 'pending' ? { state: 'invalid' } : state
}
