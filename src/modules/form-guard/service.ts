// Bots kept out of the public forms without a third party: a field no person fills (the
// honeypot) and the time the form was rendered, signed so a script cannot make it up. A form
// sent with the honeypot filled, sooner than FORM_MIN_SECONDS after rendering, or without a
// stamp that verifies is answered as usual and dropped; the drop is counted, nothing else kept.
// The JSON API needs neither: it is for scripts.
import { timingSafeEqual } from 'node:crypto'
import type { Config } from '../../config.ts'
import type { Db } from '../../db/index.ts'
import { hmac } from '../../security.ts'
import * as refusals from './repository.ts'

export type { RefusalReason, RefusedForm } from './repository.ts'

/** The honeypot's name: a field bots fill in because its name asks for something. */
export const HONEYPOT_FIELD = 'website'
/** The hidden field carrying the signed render time. */
export const FORM_STAMP_FIELD = 'rendered'

const STAMP_PURPOSE = 'form-rendered'

/** The render time `at` (ms since the epoch) and a MAC of it: `<at>.<mac>`. */
export function formStamp(config: Pick<Config, 'secretKey'>, at: number = Date.now()): string {
  const time = String(Math.floor(at))
  return `${time}.${hmac(config.secretKey, STAMP_PURPOSE, time).subarray(0, 16).toString('base64url')}`
}

/** The render time a stamp carries if its MAC verifies, else undefined. Old stamps stay valid: a tab left open. */
export function stampTime(config: Pick<Config, 'secretKey'>, stamp: string | undefined): number | undefined {
  // 16 bytes are 22 base64url characters whose last carries 4 zero bits: one spelling only.
  const match = stamp ? /^(\d{1,15})\.([A-Za-z0-9_-]{21}[AQgw])$/.exec(stamp) : null
  if (!match) return undefined
  const mac = Buffer.from(match[2]!, 'base64url')
  const expected = hmac(config.secretKey, STAMP_PURPOSE, match[1]!).subarray(0, 16)
  return mac.length === 16 && timingSafeEqual(mac, expected) ? Number(match[1]) : undefined
}

export interface SentForm {
  honeypot?: string | undefined
  stamp?: string | undefined
}

/** Why a sent form looks automated, or undefined for a person's. */
export function judgeForm(
  config: Pick<Config, 'secretKey' | 'formMinSeconds'>,
  sent: SentForm,
  now = Date.now(),
): refusals.RefusalReason | undefined {
  if (sent.honeypot) return 'honeypot'
  if (config.formMinSeconds === 0) return undefined
  const at = stampTime(config, sent.stamp)
  if (at === undefined) return 'bad-stamp'
  return now - at < config.formMinSeconds * 1000 ? 'too-fast' : undefined
}

/**
 * The stamp a re-rendered form carries: the one it was sent with if that verifies, so the time
 * the person already spent still counts, else a new one.
 */
export function restamp(config: Pick<Config, 'secretKey'>, sent: string | undefined, now = Date.now()): string {
  const at = stampTime(config, sent)
  return at !== undefined && at <= now ? sent! : formStamp(config, now)
}

/** Counts a dropped form; the caller then answers as it would have for a person. */
export function countRefusal(
  db: Db,
  form: refusals.RefusedForm,
  campaignId: string | null,
  reason: refusals.RefusalReason,
) {
  return refusals.countRefusal(db, form, campaignId, reason)
}

const SHOWN_DAYS = 30

/** A form's dropped attempts of the last 30 days, by day (newest first) and reason. */
export async function refusalsByDay(db: Db, form: refusals.RefusedForm, campaignId: string | null) {
  const rows = await refusals.refusalsSince(db, form, campaignId, SHOWN_DAYS)
  const days = new Map<string, Record<refusals.RefusalReason, number>>()
  for (const r of rows) {
    let day = days.get(r.day)
    if (!day) days.set(r.day, (day = { honeypot: 0, 'too-fast': 0, 'bad-stamp': 0 }))
    day[r.reason] += r.count
  }
  return [...days].map(([day, counts]) => ({ day, ...counts }))
}
