// The invitation email: the link to set a first password, in the inviter's language.
import { toLocale } from '../../i18n/index.ts'
import type { OutboxPayload } from '../../jobs/index.ts'
import type { Composed, MessageDeps } from '../messages/service.ts'
import * as accounts from './repository.ts'
import { invitationLink } from './service.ts'

export async function composeInvitation(deps: MessageDeps, { invitationId }: OutboxPayload<'organizer.invite'>): Promise<Composed> {
  const row = await accounts.findInvitationForMail(deps.db, invitationId)
  // Used or replaced meanwhile: a link that cannot work is not worth sending.
  if (!row || row.used_at || row.expires_at.getTime() <= Date.now()) return undefined
  const locale = toLocale(row.locale) ?? 'en'
  const email = deps.render('organizer-invite', locale, { key: 'console.mail.invite.subject' }, {
    name: row.name,
    link: invitationLink(deps.config, row.nonce),
    hours: deps.config.inviteHours,
  })
  return { to: row.email, email }
}
