// An update's email, in the recipient's language around the update's own (marked with its lang),
// and the organizers' email when a campaign crosses a milestone.
import type { Config } from '../../config.ts'
import type { Locale } from '../../db/types.ts'
import type { OutboxPayload } from '../../jobs/index.ts'
import { langTag, translator } from '../../i18n/index.ts'
import { inLanguage, toLocale } from '../../locale.ts'
import type { Composed } from '../../modules/messages/service.ts'
import { findMilestoneForMail } from '../../modules/updates/milestones.ts'
import { findUpdate, stopToken } from '../../modules/updates/service.ts'
import type { PresentDeps } from '../email/deps.ts'

/** The one link an update email carries for its recipient: stop this campaign's updates. */
export function updateLinks(config: Config, nonce: Buffer, locale: Locale) {
  const unsubscribeUrl = inLanguage(`${config.publicUrl}/updates/stop/${stopToken(config, nonce)}`, locale)
  return { unsubscribeUrl, preferencesUrl: unsubscribeUrl }
}

/** RFC 8058 headers: the https URL only (its token is not one the mailbox unsubscribe reads). */
export function updateHeaders(config: Config): (links: { unsubscribeUrl: string }) => Record<string, string> {
  const host = new URL(config.publicUrl).hostname
  return (links) => ({
    'List-Unsubscribe': `<${links.unsubscribeUrl}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'List-Id': `Urgent Action campaign updates <updates.${host}>`,
  })
}

/** Text to paragraphs: a blank line starts one. */
export const paragraphs = (text: string) =>
  text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean)

/** An update's email in `locale` with `unsubscribeUrl` as the placeholder the caller fills per recipient. */
export async function renderUpdateEmail(deps: PresentDeps, updateId: string, locale: Locale, unsubscribeUrl: string) {
  const u = await findUpdate(deps.db, updateId)
  if (!u) return undefined
  const t = translator(locale)
  const campaign = (u.campaign_translations[locale]?.title ?? '') || u.campaign_title
  return deps.render(
    'update',
    locale,
    { key: 'mail.update.subject', params: { kind: t(`update.kind.${u.kind}`), title: u.title } },
    {
      title: u.title,
      kindLabel: t(`update.kind.${u.kind}`),
      outcome: u.outcome ? t(`case.${u.outcome}`) : null,
      updateLang: langTag(u.lang),
      paragraphs: paragraphs(u.body),
      updateText: u.body,
      campaign,
      campaignUrl: inLanguage(`${deps.config.publicUrl}/campaigns/${u.campaign_slug}`, locale),
      unsubscribeUrl,
    },
  )
}

export async function composeMilestone(
  deps: PresentDeps,
  { milestoneId, organizerId }: OutboxPayload<'milestone.reached'>,
): Promise<Composed> {
  const m = await findMilestoneForMail(deps.db, milestoneId, organizerId)
  if (!m) return undefined
  const locale = toLocale(m.organizer_locale ?? '') ?? 'en'
  const campaign = (m.translations[locale]?.title ?? '') || m.title
  const email = deps.render(
    'milestone',
    locale,
    { key: 'mail.milestone.subject', params: { campaign, count: m.threshold } },
    {
      campaign,
      count: m.threshold,
      postedTitle: m.posted_title,
      consoleUrl: inLanguage(`${deps.config.publicUrl}/admin/campaigns/${m.slug}/updates`, locale),
    },
  )
  return { to: m.organizer_email, email }
}
