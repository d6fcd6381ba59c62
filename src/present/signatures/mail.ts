// The emails of signing: the confirmation link with what it confirms, and "you already signed".
import { formatMoment } from '../../i18n/index.ts'
import { inLanguage, toLocale } from '../../locale.ts'
import type { Composed } from '../../modules/messages/service.ts'
import * as campaigns from '../../modules/campaigns/repository.ts'
import * as signatures from '../../modules/signatures/repository.ts'
import { choicesOf, CONFIRM_PURPOSE } from '../../modules/signatures/service.ts'
import { confirmToken } from '../../security.ts'
import { localisedTitle } from '../campaigns/localise.ts'
import type { PresentDeps } from '../email/deps.ts'
import { signatureChoiceLines } from './choices.ts'

export async function composeSignature(
  deps: PresentDeps,
  kind: 'signature.confirm' | 'signature.already',
  signatureId: string,
): Promise<Composed> {
  const signature = await signatures.findForMail(deps.db, signatureId)
  const campaign = signature && (await campaigns.findBySlug(deps.db, signature.slug))
  if (!signature || !campaign) return undefined
  const locale = toLocale(signature.locale) ?? 'en'
  const title = localisedTitle(campaign, locale)
  const { config } = deps
  const campaignUrl = inLanguage(`${config.publicUrl}/campaigns/${encodeURIComponent(campaign.slug)}`, locale)
  const email =
    kind === 'signature.confirm'
      ? deps.render(
          'signature-confirm',
          locale,
          { key: 'mail.confirm.subject', params: { title } },
          {
            name: signature.name,
            title,
            campaignUrl,
            confirmUrl: inLanguage(
              `${config.publicUrl}/confirm/${confirmToken(config.secretKey, CONFIRM_PURPOSE, signature.confirm_nonce)}`,
              locale,
            ),
            // The choices as they are now, when the email is written; the page shows them as they are then.
            choices: signatureChoiceLines(choicesOf(signature), locale, { forEmail: true }),
            until: formatMoment(locale, signature.confirm_expires_at),
          },
        )
      : deps.render(
          'signature-already',
          locale,
          { key: 'mail.already.subject', params: { title } },
          { name: signature.name, title, campaignUrl },
        )
  return { to: signature.email, email }
}
