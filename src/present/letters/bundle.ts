// A target's letters of one day as one email, in the target's language: each letter as it would
// have gone alone (the supporter's text, else the campaign's letter in the target's language),
// signed with the supporter's name and place only.
import { countryName } from '../../i18n/countries.ts'
import { toLocale } from '../../locale.ts'
import * as campaigns from '../../modules/campaigns/repository.ts'
import { letterOf, type Letter } from '../../modules/letters/templates.ts'
import type { Composed } from '../../modules/messages/service.ts'
import { bundleToSend } from '../../modules/platform-letters/bundles.ts'
import { localisedTitle } from '../campaigns/localise.ts'
import type { PresentDeps } from '../email/deps.ts'
import { paragraphs } from './choices.ts'

export async function composeLetterBundle(deps: PresentDeps, bundleId: string): Promise<Composed> {
  const found = await bundleToSend(deps.db, bundleId)
  const to = found?.bundle.target_email
  if (!found || !to) return undefined
  const { bundle, letters } = found
  const locale = bundle.target_locale
  // Most bundles hold one campaign's letters: each campaign and its letter read once.
  const byCampaign = new Map<string, { title: string; templates: Letter; fallback: string }>()
  const shown = []
  const sendIds = []
  for (const l of letters) {
    let c = byCampaign.get(l.campaign_id)
    if (!c) {
      const campaign = await campaigns.findBySlug(deps.db, l.slug)
      if (!campaign) continue
      c = {
        title: localisedTitle(campaign, locale),
        templates: await letterOf(deps.db, l.campaign_id),
        fallback: campaign.locale,
      }
      byCampaign.set(l.campaign_id, c)
    }
    const t = c.templates
    const template = t[locale] ?? t[toLocale(c.fallback) ?? 'en'] ?? Object.values(t).find(Boolean)
    const body = l.body ?? template?.body
    if (!body) continue
    sendIds.push(l.send_id)
    shown.push({
      subject: template?.subject ?? c.title,
      paragraphs: paragraphs(body),
      name: l.name,
      place: [l.city, countryName(locale, l.country)].filter(Boolean).join(', '),
    })
  }
  if (shown.length === 0) return undefined
  const email = deps.render(
    'letter-bundle',
    locale,
    { key: 'mail.bundle.subject', params: { count: shown.length, day: bundle.day } },
    { letters: shown, count: shown.length, day: bundle.day },
  )
  return { to, email, sendIds }
}
