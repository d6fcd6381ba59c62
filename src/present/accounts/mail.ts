// The invitation email (the link to set a first password, in the inviter's language) and the
// login-lock email (in the account's own language; it names no network, only one or several).
import type { OutboxPayload } from '../../jobs/index.ts'
import { inLanguage, toLocale } from '../../locale.ts'
import * as accounts from '../../modules/accounts/repository.ts'
import { invitationLink, invitationOpen } from '../../modules/accounts/service.ts'
import type { Composed } from '../../modules/messages/service.ts'
import type { PresentDeps } from '../email/deps.ts'

export async function composeInvitation(
  deps: PresentDeps,
  { invitationId }: OutboxPayload<'organizer.invite'>,
): Promise<Composed> {
  const row = await accounts.findInvitationForMail(deps.db, invitationId)
  // Used or replaced meanwhile: a link that cannot work is not worth sending.
  if (!row || !invitationOpen(row)) return undefined
  const locale = toLocale(row.locale) ?? 'en'
  const email = deps.render(
    'organizer-invite',
    locale,
    { key: 'console.mail.invite.subject' },
    {
      name: row.name,
      link: inLanguage(invitationLink(deps.config, row.nonce), locale),
      hours: deps.config.inviteHours,
    },
  )
  return { to: row.email, email }
}

export async function composeLockNotice(
  deps: PresentDeps,
  { organizerId, scope }: OutboxPayload<'account.locked'>,
): Promise<Composed> {
  const row = await accounts.findForLockMail(deps.db, organizerId)
  if (!row) return undefined // disabled or gone meanwhile
  const locale = toLocale(row.locale ?? '') ?? 'en'
  const email = deps.render(
    'account-locked',
    locale,
    { key: 'console.mail.locked.subject' },
    { name: row.name, scope, link: inLanguage(`${deps.config.publicUrl}/admin/login`, locale) },
  )
  return { to: row.email, email }
}
