import type { Config } from '../../config.ts'
import type { Db } from '../../db/index.ts'
import type { Selectable } from 'kysely'
import type { Locale, NewSignature, SignaturesTable } from '../../db/types.ts'
import type { CampaignRow } from '../campaigns/repository.ts'
import { AppError } from '../../errors.ts'
import { hashClient, randomNonce, sha256, verifyConfirmToken } from '../../security.ts'
import { findPublicCampaign } from '../campaigns/service.ts'
import * as outbox from '../outbox/repository.ts'
import { subscribeSigner, type SignerAlerts } from '../subscribers/service.ts'
import { emailKey } from '../email-key.ts'
import {
  confirmLetterOnItsOwn,
  confirmWithSignature,
  letterWithSignatureOf,
  letterWithSignature,
  type LetterWithSignatureShown,
  type LetterWithSignature,
} from '../platform-letters/service.ts'
import * as signatures from './repository.ts'

export const CONFIRM_PURPOSE = 'signature-confirm'

export interface SignatureInput {
  name: string
  email: string
  country: string
  comment?: string | undefined
  publicName?: boolean | undefined
  alerts?: boolean | undefined
  /** False: no updates of this campaign by email. */
  updates?: boolean | undefined
  /** Have the platform send the campaign's letter too, confirmed by the signature's link (sign and write in one go). */
  letter?: LetterWithSignature | undefined
}

export interface SignContext {
  locale: Locale
  ip: string | undefined
  /** Kept for an organizer's review: from a network past its budget, without the proof of work. */
  held?: boolean | undefined
  /** Whether the campaign has a letter of its own, as the caller's lookup (the page cache) knows; asked when not said. */
  campaignHasLetter?: boolean | undefined
  /** What the caller's input calls the letter's words, for a refusal that names them (`letter.body` unless said). */
  bodyField?: string | undefined
}

/**
 * Records a signature and asks for its email. The outcome is not returned: a first signature and
 * a repeat must look the same to whoever sent the request, and both take the same one statement
 * (what a repeat gets is decided later by the mail worker, in `resolveRepeat`). `campaign` is the
 * caller's lookup, which may be a moment old (the page cache): the statement checks it is live.
 */
export async function sign(db: Db, config: Config, campaign: CampaignRow, input: SignatureInput, ctx: SignContext) {
  if (campaign.status !== 'live') throw new AppError('campaign_closed')
  const signature: NewSignature = {
    campaign_id: campaign.id,
    name: input.name,
    email: input.email.trim(),
    email_key: emailKey(input.email),
    country: input.country,
    comment: input.comment || null,
    public_name: input.publicName ?? false,
    wants_alerts: input.alerts ?? false,
    locale: ctx.locale,
    confirm_nonce: randomNonce(),
    confirm_expires_at: confirmationExpiry(config),
    ip_hash: hashClient(config, ctx.ip),
    last_emailed_at: new Date(),
  }
  const optOut = input.updates === false
  // Signed and written in one go: the letter is written by the signature's own statement.
  const letter = input.letter && (await letterWithSignature(db, config, campaign, input, input.letter, ctx))
  const noted =
    ctx.held || optOut
      ? await db.transaction().execute(async (trx) => {
          if (!(await signatures.insertOrNoteRepeat(trx, signature, letter))) return false
          // A pending signature is held whoever started it: its confirmation would confirm this
          // request's choices. A confirmed one already counts and stays as it is.
          if (ctx.held) await signatures.holdPending(trx, campaign.id, signature.email_key)
          if (optOut) await signatures.optOutOfUpdates(trx, campaign.id, signature.email_key)
          return true
        })
      : await signatures.insertOrNoteRepeat(db, signature, letter)
  if (noted) return
  // Nothing written: the campaign closed meanwhile, or this address is being signed by another
  // request at this very moment (whose email covers both).
  if ((await findPublicCampaign(db, campaign.slug)).status !== 'live') throw new AppError('campaign_closed')
}

const confirmationExpiry = (config: Config) => new Date(Date.now() + config.confirmTokenDays * 86_400_000)

export type RepeatOutcome = 'signature.confirm' | 'signature.already' | undefined

/**
 * What a repeat signature gets, decided by the mail worker in one transaction and written onto
 * its outbox row, so that a retried job sends what was decided: nothing within the email
 * cooldown (another email would only help someone flood this inbox); "you already signed" for a
 * confirmed signature, or an invalidated one (an organizer can restore it if it was genuine);
 * for a pending one the same link again, since the first email may be lost. The repeat's choices
 * are already on the row (`note_signature`), and its expiry stays that of the first request: a
 * repeat never keeps a pending signature alive, so one signed as someone else reaches retention.
 */
export async function resolveRepeat(
  db: Db,
  config: Config,
  outboxId: string,
  signatureId: string,
): Promise<RepeatOutcome> {
  return db.transaction().execute(async (trx) => {
    const existing = await signatures.lockForRepeat(trx, signatureId, config.emailCooldownSeconds)
    if (!existing || existing.recently_emailed) {
      await outbox.markDone(trx, outboxId)
      return undefined
    }
    // Signed already and now writing too: the letter cannot ride on a confirmed signature's link,
    // so it gets its own email, in place of "you already signed".
    if (existing.status !== 'pending' && (await confirmLetterOnItsOwn(trx, existing.campaign_id, existing.email_key))) {
      await outbox.markDone(trx, outboxId)
      return undefined
    }
    await signatures.markEmailed(trx, existing.id)
    const kind: RepeatOutcome = existing.status === 'pending' ? 'signature.confirm' : 'signature.already'
    await outbox.setKind(trx, outboxId, kind)
    return kind
  })
}

/** What a pending signature confirms: the choices of the latest request made with its address. */
export interface SignatureChoices {
  name: string
  country: string
  comment: string | null
  publicName: boolean
  alerts: boolean
  locale: string
}

type ChoiceColumns = Pick<
  Selectable<SignaturesTable>,
  'name' | 'country' | 'comment' | 'public_name' | 'wants_alerts' | 'locale'
>

export const choicesOf = (row: ChoiceColumns): SignatureChoices => ({
  name: row.name,
  country: row.country,
  comment: row.comment,
  publicName: row.public_name,
  alerts: row.wants_alerts,
  locale: row.locale,
})

/**
 * A short digest of the choices the confirm page shows, sent back by its button: a repeat that
 * changed them between the page and the press makes the page show them again instead.
 */
export function choicesDigest(choices: SignatureChoices, letter?: LetterWithSignatureShown): string {
  const { name, country, comment, publicName, alerts, locale } = choices
  const shown: unknown[] = [name, country, comment, publicName, alerts, locale]
  // The letter the button also sends, words and all: a repeat that changed them shows them again.
  if (letter) shown.push([letter.to.map((t) => t.name), letter.body, letter.city])
  return sha256(JSON.stringify(shown)).subarray(0, 12).toString('base64url')
}

export type ConfirmState =
  | {
      state: 'pending'
      slug: string
      choices: SignatureChoices
      /** The letter asked for with the signature, which the button sends too; undefined for none. */
      letter: LetterWithSignatureShown | undefined
      shown: string
      changed: boolean
    }
  | { state: 'confirmed'; slug: string; justNow: boolean; alerts: SignerAlerts | undefined }
  | { state: 'invalid' }

/** What a link points at, read-only: the page a GET shows, with what its button would confirm. */
export async function inspectConfirmation(db: Db, config: Config, token: string): Promise<ConfirmState> {
  const nonce = verifyConfirmToken(config.secretKey, CONFIRM_PURPOSE, token)
  if (!nonce) return { state: 'invalid' }
  const row = await signatures.findByNonce(db, nonce)
  if (!row) return { state: 'invalid' }
  if (row.status === 'confirmed') return { state: 'confirmed', slug: row.slug, justNow: false, alerts: undefined }
  if (row.status !== 'pending' || row.confirm_expires_at.getTime() <= Date.now()) return { state: 'invalid' }
  const choices = choicesOf(row)
  const letter = await letterWithSignatureOf(db, row.campaign_id, row.email_key)
  return {
    state: 'pending',
    slug: row.slug,
    choices,
    letter,
    shown: choicesDigest(choices, letter),
    changed: false,
  }
}

/**
 * Confirms once what the page showed (`shown`, its digest; without it, the current choices); the
 * count follows through an appended delta, never an update of a hot row. A held signature is
 * confirmed but adds nothing until an organizer accepts it.
 */
export async function confirm(db: Db, config: Config, token: string, shown?: string): Promise<ConfirmState> {
  const nonce = verifyConfirmToken(config.secretKey, CONFIRM_PURPOSE, token)
  if (!nonce) return { state: 'invalid' }
  const outcome = await db.transaction().execute(async (trx) => {
    const row = await signatures.lockByNonce(trx, nonce)
    if (!row || row.status !== 'pending') return undefined
    if (shown !== undefined) {
      const letter = await letterWithSignatureOf(trx, row.campaign_id, row.email_key)
      if (shown !== choicesDigest(choicesOf(row), letter)) return 'changed' as const
    }
    const confirmed = await signatures.confirmById(trx, row.id)
    if (!confirmed) return undefined
    if (!confirmed.held) await signatures.addCountDelta(trx, confirmed.campaign_id, 1)
    // The letter asked for with it goes with it; a held signature's waits, as its alerts do.
    if (!confirmed.held) await confirmWithSignature(trx, config, confirmed.campaign_id, confirmed.email_key)
    // A held signature may be a bot's at a catch-all domain: its alerts wait for the organizer's accept.
    if (!confirmed.wants_alerts || confirmed.held) return { alerts: undefined }
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
