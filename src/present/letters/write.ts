// The "write to them" step: which letter each target gets, the mailto link that carries it, and
// the reader's translation beside it. A target's email appears only inside its mailto link, and a
// platform-only target has none (page-cache.ts gives no contact for it).
import type { Locale } from '../../db/types.ts'
import { langTag, locales, toLocale } from '../../locale.ts'
import type { Letter, LetterText } from '../../modules/letters/templates.ts'
import type { PublicTarget } from '../../modules/targets/service.ts'
import type { PageData } from '../campaigns/page-cache.ts'

export interface LetterInLanguage extends LetterText {
  locale: Locale
  /** For the lang attribute. */
  lang: string
}

export interface TargetLetter {
  target: PublicTarget
  /** The letter in the target's language where one exists, else the reader's, else the campaign's. */
  letter: LetterInLanguage
  /** The letter in the reader's language, to read beside it, when the letter above is in another. */
  translation: LetterInLanguage | null
  /** `mailto:` with the subject and body filled in; null for a target without a published email. */
  mailto: string | null
  postalAddress: string | null
  /** Letters to this target go only through the platform. */
  platformOnly: boolean
}

function inLanguage(letter: Letter, ...preferred: (Locale | undefined)[]): LetterInLanguage | null {
  const locale = [...preferred, ...locales].find((l): l is Locale => !!l && !!letter[l])
  if (!locale) return null
  return { ...letter[locale]!, locale, lang: langTag(locale) }
}

/**
 * A mailto URL (RFC 6068) with subject and body: every character but the unreserved ones
 * percent-encoded as UTF-8, line breaks as CRLF, so that any mail program reads it the same.
 */
export function mailtoHref(email: string, text: LetterText): string {
  const at = email.lastIndexOf('@')
  const address = `${encodeURIComponent(email.slice(0, at))}@${encodeURIComponent(email.slice(at + 1))}`
  const body = text.body.replace(/\r?\n/g, '\r\n')
  return `mailto:${address}?subject=${encodeURIComponent(text.subject)}&body=${encodeURIComponent(body)}`
}

/** Whether the campaign has a step to show: a letter and someone to send it to. */
export const hasLetterStep = (data: PageData) => data.targets.length > 0 && Object.keys(data.letter).length > 0

/** The letter for the reader, in their language where one exists: for the text to copy. */
export function readerLetter(data: PageData, reader: Locale): LetterInLanguage | null {
  return inLanguage(data.letter, reader, toLocale(data.campaign.locale))
}

/** Each target's letter, in the campaign's order of targets. */
export function targetLetters(data: PageData, reader: Locale): TargetLetter[] {
  const campaignLocale = toLocale(data.campaign.locale)
  return data.targets.flatMap((target) => {
    const letter = inLanguage(data.letter, toLocale(target.locale), reader, campaignLocale)
    if (!letter) return []
    const translation = letter.locale !== reader && data.letter[reader] ? inLanguage(data.letter, reader) : null
    const contact = data.contacts.get(target.id)
    return [
      {
        target,
        letter,
        translation,
        mailto: contact?.email ? mailtoHref(contact.email, letter) : null,
        postalAddress: contact?.postalAddress ?? null,
        platformOnly: !contact,
      },
    ]
  })
}
