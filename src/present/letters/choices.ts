// What a letter's confirm link sends, as lines of label and value: the confirm page and the
// confirmation email show the same lines.
import { translator, type Locale } from '../../i18n/index.ts'
import { countryName } from '../../i18n/countries.ts'
import type { LetterChoices } from '../../modules/platform-letters/service.ts'
import type { ChoiceLine } from '../signatures/choices.ts'
import { inert } from '../signatures/choices.ts'

export interface Recipient {
  name: string
  organisation: string
}

/**
 * `forEmail`: whoever asked may not own the address, so in the email what they typed is clipped,
 * on one line, with no host name a mail client would make a link of (see signatures' `inert`).
 */
export function letterChoiceLines(
  choices: LetterChoices,
  recipients: readonly Recipient[],
  locale: Locale,
  { forEmail = false } = {},
): ChoiceLine[] {
  const t = translator(locale)
  const typed = (text: string, max: number) => (forEmail ? inert(text, max) : text)
  const lines: ChoiceLine[] = [
    { label: t('choices.name'), value: typed(choices.name, 80) },
    { label: t('letter.choices.city'), value: choices.city ? typed(choices.city, 80) : t('choices.none') },
    { label: t('choices.country'), value: countryName(locale, choices.country) },
    {
      label: t('letter.choices.letter'),
      value: choices.body
        ? forEmail
          ? inert(choices.body, 300)
          : t('letter.choices.own')
        : t('letter.choices.template'),
    },
    { label: t('letter.choices.to'), value: recipients.map((r) => `${r.name} (${r.organisation})`).join(', ') },
    { label: t('choices.alerts'), value: t(choices.alerts ? 'choices.alerts.yes' : 'choices.alerts.no') },
  ]
  return lines
}

/** A text as paragraphs of lines, for a page or an HTML email to show as it was written (escaped by the view). */
export function paragraphs(text: string): string[][] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((p) => p.split('\n'))
    .filter((p) => p.some((line) => line.trim() !== ''))
}
