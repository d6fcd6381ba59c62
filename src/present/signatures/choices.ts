// What a signature's confirm link confirms, as lines of label and value: the confirm page and the
// confirmation email show the same lines, so what the email promised is what the page asks.
import { translator, type Locale } from '../../i18n/index.ts'
import { countryName } from '../../i18n/countries.ts'
import type { SignatureChoices } from '../../modules/signatures/service.ts'

export interface ChoiceLine {
  label: string
  value: string
}

/**
 * `forEmail`: whoever signed may not own the address, so in the email their name and comment are
 * clipped, on one line, with no address or domain a mail client would make a link of. Otherwise
 * the form would carry anyone's message, links included, to any inbox under our name.
 */
export function signatureChoiceLines(
  choices: SignatureChoices,
  locale: Locale,
  { forEmail = false } = {},
): ChoiceLine[] {
  const t = translator(locale)
  const typed = (text: string, max: number) => (forEmail ? inert(text, max) : text)
  return [
    { label: t('choices.name'), value: typed(choices.name, 80) },
    { label: t('choices.country'), value: countryName(locale, choices.country) },
    { label: t('choices.comment'), value: choices.comment ? typed(choices.comment, 160) : t('choices.none') },
    { label: t('choices.public'), value: t(choices.publicName ? 'choices.public.yes' : 'choices.public.no') },
    { label: t('choices.alerts'), value: t(choices.alerts ? 'choices.alerts.yes' : 'choices.alerts.no') },
  ]
}

const hostLike = /[\p{L}\p{N}_-]+(?:[.。．｡][\p{L}\p{N}_-]+)+/gu

/** Text someone typed, safe to quote in an email: one line, clipped, every host name broken ("example[.]org"). */
export function inert(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()]
  const clipped = chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('')
  return clipped.replace(hostLike, (host) => host.replace(/[.。．｡]/g, '[.]')).replaceAll('://', ':/ /')
}
