import type { Config } from '../../config.ts'
import type { Db } from '../../db/index.ts'
import type { Locale, NewSignature } from '../../db/types.ts'
import type { CampaignRow } from '../campaigns/repository.ts'
import { AppError } from '../../errors.ts'
import { hashIp, randomNonce, verifyConfirmToken } from '../../security.ts'
import { findPublicCampaign } from '../campaigns/service.ts'
import * as outbox from '../outbox/repository.ts'
import { subscribeSigner } from '../subscribers/service.ts'
import { emailKey } from './email-key.ts'
import * as signatures from './repository.ts'

export const CONFIRM_PURPOSE = 'signature-confirm'

export interface SignatureInput {
  name: string
  email: string
  country: string
  comment?: string | undefined
  publicName?: boolean | undefined
  alerts?: boolean | undefined
}

export interface SignContext {
  locale: Locale
  ip: string | undefined
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
    ip_hash: hashIp(config.secretKey, ctx.ip),
    last_emailed_at: new Date(),
  }
  if (await signatures.insertOrNoteRepeat(db, signature)) return
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
 * for a pending one the same link again, valid for longer, since the first email may be lost.
 */
export async function resolveRepeat(db: Db, config: Config, outboxId: string, signatureId: string): Promise<RepeatOutcome> {
  return db.transaction().execute(async (trx) => {
    const existing = await signatures.lockForRepeat(trx, signatureId, config.emailCooldownSeconds)
    if (!existing || existing.recently_emailed) {
      await outbox.markDone(trx, outboxId)
      return undefined
    }
    await signatures.markEmailed(trx, existing.id)
    let kind: RepeatOutcome = 'signature.already'
    if (existing.status === 'pending') {
      await signatures.extendConfirmation(trx, existing.id, confirmationExpiry(config))
      kind = 'signature.confirm'
    }
    await outbox.setKind(trx, outboxId, kind)
    return kind
  })
}

export type ConfirmState =
  | { state: 'pending'; slug: string }
  | { state: 'confirmed'; slug: string; justNow: boolean }
  | { state: 'invalid' }

/** What a confirm link points at, read-only: the page a GET shows. */
export async function inspectConfirmation(db: Db, config: Config, token: string): Promise<ConfirmState> {
  const nonce = verifyConfirmToken(config.secretKey, CONFIRM_PURPOSE, token)
  if (!nonce) return { state: 'invalid' }
  const row = await signatures.findByNonce(db, nonce)
  if (!row) return { state: 'invalid' }
  if (row.status === 'confirmed') return { state: 'confirmed', slug: row.slug, justNow: false }
  if (row.confirm_expires_at.getTime() <= Date.now()) return { state: 'invalid' }
  return { state: 'pending', slug: row.slug }
}

/** Confirms once; the count follows through an appended delta, never an update of a hot row. */
export async function confirm(db: Db, config: Config, token: string): Promise<ConfirmState> {
  const nonce = verifyConfirmToken(config.secretKey, CONFIRM_PURPOSE, token)
  if (!nonce) return { state: 'invalid' }
  const confirmed = await db.transaction().execute(async (trx) => {
    const row = await signatures.confirmByNonce(trx, nonce)
    if (row) {
      await signatures.addCountDelta(trx, row.campaign_id, 1)
      if (row.wants_alerts) await subscribeSigner(trx, { email: row.email, locale: row.locale, campaignId: row.campaign_id })
    }
    return row
  })
  if (confirmed) {
    const row = await signatures.findByNonce(db, nonce)
    return { state: 'confirmed', slug: row!.slug, justNow: true }
  }
  const state = await inspectConfirmation(db, config, token)
  return state.state === 'pending' ? { state: 'invalid' } : state
}
