// News on a campaign: an organizer posts an update (optionally the case's outcome), shown on the
// campaign page; with "notify", an alert of kind 'update' sends it to every signer who wants it,
// through the alerts' fan-out. Each such email stops that campaign's updates in one click.
import type { Config } from '../../config.ts'
import type { Db, Trx } from '../../db/index.ts'
import type { CaseOutcome, Locale, UpdateKind } from '../../db/types.ts'
import { AppError, notFound } from '../../errors.ts'
import { confirmToken, verifyConfirmToken } from '../../security.ts'
import { insertUpdateAlert } from '../alerts/repository.ts'
import { record, type Actor } from '../audit/service.ts'
import * as campaigns from '../campaigns/repository.ts'
import * as outbox from '../outbox/repository.ts'
import { emitEvent } from '../webhooks/events.ts'
import * as updates from './repository.ts'

export const STOP_PURPOSE = 'signature-updates-stop'

/** The token of an update email's one-click unsubscribe: the signature's nonce, MACed for this purpose. */
export const stopToken = (config: Config, nonce: Buffer) => confirmToken(config.secretKey, STOP_PURPOSE, nonce)

export interface UpdateInput {
  kind: UpdateKind
  title: string
  body: string
  /** The language it is written in; the campaign's own unless said. */
  lang?: Locale | undefined
  /** Only for an outcome: how the case ended (closed unless said). */
  outcome?: CaseOutcome | undefined
  notify?: boolean | undefined
}

export type PostedUpdate = { update: updates.UpdateRow; alertId: string | null }

/**
 * Writes an update in `trx`: the row, for an outcome the case's state (a live campaign stops
 * taking signatures), with "notify" its alert and the outbox row that starts the fan-out, and the
 * audit row. Shared by the organizer's post and a milestone's prepared update.
 */
export async function writeUpdate(
  trx: Trx,
  actor: Actor,
  campaign: { id: string; slug: string; locale: string },
  input: UpdateInput,
): Promise<PostedUpdate> {
  const outcome = input.kind === 'outcome' ? (input.outcome ?? 'closed') : null
  const update = await updates.insertUpdate(trx, {
    campaignId: campaign.id,
    kind: input.kind,
    title: input.title,
    body: input.body,
    lang: input.lang ?? (campaign.locale as Locale),
    outcome,
    createdBy: actor.via === 'system' ? null : actor.id,
  })
  if (outcome) await updates.setOutcome(trx, campaign.id, outcome)
  let alertId: string | null = null
  if (input.notify) {
    alertId = await insertUpdateAlert(trx, update.id)
    await outbox.enqueue(trx, 'alert.fanout', { alertId })
    await outbox.wakeRelay(trx)
  }
  await emitEvent(trx, 'campaign.update', {
    campaignId: campaign.id,
    slug: campaign.slug,
    updateId: update.id,
    kind: input.kind,
    outcome,
    alertId,
  })
  await record(
    trx,
    actor,
    'campaign.update',
    { type: 'campaign', id: campaign.id },
    { slug: campaign.slug, update: update.id, kind: input.kind, outcome, alert: alertId },
  )
  return { update, alertId }
}

/** Posts an update to a live or closed campaign (a draft has no public page and no signers). */
export async function postUpdate(db: Db, actor: Actor, slug: string, input: UpdateInput): Promise<PostedUpdate> {
  return db.transaction().execute(async (trx) => {
    const campaign = await campaigns.lockBySlug(trx, slug)
    if (!campaign) throw notFound()
    if (campaign.status === 'draft') throw new AppError('conflict', undefined, 'error.update.draft')
    return writeUpdate(trx, actor, campaign, input)
  })
}

const TIMELINE = 50

/** A campaign's updates, newest first (the latest TIMELINE of them). */
export function updatesOf(db: Db, campaignId: string) {
  return updates.listUpdates(db, campaignId, TIMELINE)
}

export const findUpdate = updates.findUpdate

export type StopState = { state: 'wants' | 'stopped'; campaign: { slug: string; title: string } } | undefined

/** What an update email's unsubscribe link is about; undefined for a token that is not ours. */
export async function inspectStop(db: Db, config: Config, token: string): Promise<StopState> {
  const nonce = verifyConfirmToken(config.secretKey, STOP_PURPOSE, token)
  const row = nonce && (await updates.updatesChoice(db, nonce))
  if (!row) return undefined
  return { state: row.wants_updates ? 'wants' : 'stopped', campaign: { slug: row.slug, title: row.title } }
}

/** Stops this signature's updates of its campaign, and nothing else (alerts, other campaigns). */
export async function stopUpdates(db: Db, config: Config, token: string): Promise<StopState> {
  const nonce = verifyConfirmToken(config.secretKey, STOP_PURPOSE, token)
  const row = nonce && (await updates.stopUpdates(db, nonce))
  if (!row) return undefined
  return { state: 'stopped', campaign: { slug: row.slug, title: row.title } }
}

export const recipientCount = updates.recipientCount
