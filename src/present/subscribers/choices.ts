// What a subscription's confirm link confirms, as lines of label and value: the confirm page and
// the confirmation email show the same lines.
import { languageName, toLocale, translator, type Locale } from '../../i18n/index.ts'
import type { Db } from '../../db/index.ts'
import * as campaigns from '../../modules/campaigns/repository.ts'
import { knownProvinces, type SubscriptionChoices } from '../../modules/subscribers/service.ts'
import { localisedTitle } from '../campaigns/localise.ts'
import { knownProvince } from '../../place-names.ts'
import { inert, type ChoiceLine } from '../signatures/choices.ts'

export async function subscriptionChoiceLines(
  db: Db,
  choices: SubscriptionChoices,
  locale: Locale,
): Promise<ChoiceLine[]> {
  const t = translator(locale)
  const lines: ChoiceLine[] = []
  if (choices.all) {
    lines.push({ label: t('alerts.topics'), value: t('alerts.choices.all') })
  } else {
    if (choices.campaigns.length) {
      const titles = await Promise.all(
        choices.campaigns.map(async (c) => {
          const row = await campaigns.findBySlug(db, c.slug)
          return row ? localisedTitle(row, locale) : c.title
        }),
      )
      lines.push({ label: t('alerts.campaigns'), value: titles.join(', ') })
    }
    if (choices.provinces.length) {
      const known = await knownProvinces(db)
      const names = choices.provinces.map((p) => {
        const choice = known.find((k) => k.keys.includes(p))
        // A province no report names yet is as a stranger typed it: quoted inert, as in the signature's lines.
        return choice
          ? (choice.names[locale] ?? knownProvince(choice.label, undefined, locale) ?? choice.label)
          : inert(p, 40)
      })
      lines.push({ label: t('alerts.provinces'), value: names.join(', ') })
    }
  }
  lines.push({
    label: t('alerts.frequency'),
    value: t(choices.frequency === 'daily' ? 'alerts.daily' : 'alerts.immediate'),
  })
  const language = toLocale(choices.locale)
  if (language) lines.push({ label: t('alerts.language'), value: languageName(language) })
  return lines
}
