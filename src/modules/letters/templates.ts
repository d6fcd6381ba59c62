// A campaign's letter, one per language: read for the page, the mailto links and the platform's
// sends; written only inside a campaign change (the caller's transaction and audit).
import type { Db, Trx } from '../../db/index.ts'
import type { Locale } from '../../db/types.ts'

export interface LetterText {
  subject: string
  body: string
}

export type Letter = Partial<Record<Locale, LetterText>>

/** The campaign's letter by language; empty when it has none. */
export async function letterOf(db: Db | Trx, campaignId: string): Promise<Letter> {
  const rows = await db
    .selectFrom('campaign_letters')
    .select(['locale', 'subject', 'body'])
    .where('campaign_id', '=', campaignId)
    .execute()
  return Object.fromEntries(rows.map((r) => [r.locale, { subject: r.subject, body: r.body }]))
}

/**
 * Replaces the campaign's letter with `letter`: a language left out loses its text. Returns the
 * languages whose text changed, for the caller's audit entry.
 */
export async function setLetter(trx: Trx, campaignId: string, letter: Letter): Promise<Locale[]> {
  const before = await letterOf(trx, campaignId)
  const locales = new Set([...Object.keys(before), ...Object.keys(letter)] as Locale[])
  const changed = [...locales].filter(
    (l) => before[l]?.subject !== letter[l]?.subject || before[l]?.body !== letter[l]?.body,
  )
  if (changed.length === 0) return []
  await trx.deleteFrom('campaign_letters').where('campaign_id', '=', campaignId).execute()
  const rows = Object.entries(letter).map(([locale, text]) => ({
    campaign_id: campaignId,
    locale: locale as Locale,
    subject: text.subject,
    body: text.body,
  }))
  if (rows.length > 0) await trx.insertInto('campaign_letters').values(rows).execute()
  return changed.sort()
}
