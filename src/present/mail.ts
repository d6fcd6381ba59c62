// The email composer of one worker instance (or test): every email the modules send is written
// here. workers/start.ts builds it and passes it to the services as their `compose` dependency.
import { createEmailRenderer } from '../mail/render.ts'
import type { AlertComposer } from '../modules/alerts/delivery.ts'
import type { DigestComposer } from '../modules/digests/service.ts'
import type { MessageComposer } from '../modules/messages/service.ts'
import { composeInvitation, composeLockNotice } from './accounts/mail.ts'
import { createAlertMail } from './alerts/mail.ts'
import type { PresentDeps } from './email/deps.ts'
import { composeErasureLink } from './erasure/mail.ts'
import { composeLetterBundle } from './letters/bundle.ts'
import { composeLetterConfirm, composeLetterToTarget } from './letters/mail.ts'
import { composePetition } from './petition/mail.ts'
import { composeSignature } from './signatures/mail.ts'
import { composeMilestone } from './updates/mail.ts'
import { composeSubscriberAlready, composeSubscriberConfirm } from './subscribers/mail.ts'

export type Composer = AlertComposer & DigestComposer & { message: MessageComposer }

/** `render` defaults to the email templates in views/emails; a test may pass its own. */
export function createComposer({
  render,
  ...deps
}: Omit<PresentDeps, 'render'> & { render?: PresentDeps['render'] }): Composer {
  const d: PresentDeps = { ...deps, render: render ?? createEmailRenderer(deps.config) }
  return {
    ...createAlertMail(d),
    message: {
      'signature.confirm': (p) => composeSignature(d, 'signature.confirm', p.signatureId),
      'signature.already': (p) => composeSignature(d, 'signature.already', p.signatureId),
      'letter.confirm': (p) => composeLetterConfirm(d, p.letterId),
      'letter.send': (p) => composeLetterToTarget(d, p.sendId),
      'letter.bundle': (p) => composeLetterBundle(d, p.bundleId),
      'petition.deliver': (p) => composePetition(d, p.deliveryId),
      'organizer.invite': (p) => composeInvitation(d, p),
      'account.locked': (p) => composeLockNotice(d, p),
      'subscriber.confirm': (p) => composeSubscriberConfirm(d, p),
      'subscriber.already': (p) => composeSubscriberAlready(d, p),
      'erasure.link': (p) => composeErasureLink(d, p),
      'milestone.reached': (p) => composeMilestone(d, p),
    },
  }
}
