// The emails of a supporter's letter: its confirmation, in the supporter's language, and the
// letter itself, in the target's language, signed with the supporter's name and place only.
import { countryName } from '../../i18n/countries.ts'
import { formatMoment } from '../../i18n/index.ts'
import { inLanguage, toLocale } from '../../locale.ts'
import * as campaigns from '../../modules/campaigns/repository.ts'
import * as letters from '../../modules/platform-letters/repository.ts'
import * as sends from '../../modules/platform-letters/sends-repository.ts'
import { choicesOf, LETTER_CONFIRM_PURPOSE } from '../../modules/platform-letters/service.ts'
import { letterOf } from '../../modules/letters/templates.ts'
import type { Composed } from '../../modules/messages/service.ts'
import { confirmToken } from '../../security.ts'
import { localisedTitle } from '../campaigns/localise.ts'
import type { PresentDeps } from '../email/deps.ts'
import { letterChoiceLines, paragraphs } from './choices.ts'

export async function composeLetterConfirm(deps: PresentDeps, letterId: string): Promise<Composed> {
  const letter = await letters.findForMail(deps.db, letterId)
  const campaign = letter && (await campaigns.findBySlug(deps.db, letter.slug))
  if (!letter || !campaign) return undefined
  const locale = toLocale(letter.locale) ?? 'en'
  const title = localisedTitle(campaign, locale)
  const { config } = deps
  const recipients = await letters.recipientsOf(deps.db, letter.campaign_id)
  const email = deps.render(
    'letter-confirm',
    locale,
    { key: 'mail.letter.confirm.subject', params: { title } },
    {
      title,
      confirmUrl: inLanguage(
        `${config.publicUrl}/letters/confirm/${confirmToken(config.secretKey, LETTER_CONFIRM_PURPOSE, letter.confirm_nonce)}`,
        locale,
      ),
      choices: letterChoiceLines(choicesOf(letter), recipients, locale, { forEmail: true }),
      until: formatMoment(locale, letter.confirm_expires_at),
    },
  )
  return { to: letter.email, email }
}

/**
 * The letter to one target: the supporter's own text, else the campaign's letter in the target's
 * language (the campaign's language, else any, when it has none in the target's); its subject
 * from the campaign's letter, else the campaign's title. Signed with the supporter's name, city
 * and country; nothing in it says how to reach them.
 */
export async function composeLetterToTarget(deps: PresentDeps, sendId: string): Promise<Composed> {
  const row = await sends.findForLetter(deps.db, sendId)
  const campaign = row && (await campaigns.findBySlug(deps.db, row.slug))
  if (!row || !campaign || row.status !== 'queued' || !row.target_email) return undefined
  const locale = row.target_locale
  const templates = await letterOf(deps.db, row.campaign_id)
  const template =
    templates[locale] ?? templates[toLocale(campaign.locale) ?? 'en'] ?? Object.values(templates).find(Boolean)
  const body = row.body ?? template?.body
  if (!body) return undefined
  const subject = template?.subject ?? localisedTitle(campaign, locale)
  const place = [row.city, countryName(locale, row.country)].filter(Boolean).join(', ')
  const email = deps.render(
    'letter',
    locale,
    { key: 'mail.letter.subject', params: { subject } },
    { title: subject, paragraphs: paragraphs(body), name: row.name, place },
  )
  return { to: row.target_email, email }
}
