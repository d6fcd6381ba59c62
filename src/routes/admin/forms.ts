// Shared by the console's handlers: the pages, the forms they show again when refused, the actor.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../../errors.ts'
import type { OrganizerActor } from '../../modules/audit/service.ts'
import type { FormPage } from '../../plugins/errors.ts'

export { formValues, type FormValues } from '../../plugins/errors.ts'

/** Where a session that must replace a one-time password is sent: the account page's password form. */
export const CHANGE_PASSWORD_SCREEN = '/admin/account'

export function actorOf(request: FastifyRequest): OrganizerActor {
  if (!request.account) throw new AppError('forbidden')
  return { id: request.account.id, via: 'console' }
}

/** Renders a console page; the data carries the form state the templates expect. */
export function page(reply: FastifyReply, view: string, data: Record<string, unknown>, status = 200) {
  reply.code(status)
  return reply.view(`pages/admin/${view}`, { values: {}, errors: {}, ...data })
}

/**
 * A console route's form, shown again by the root error handler when the input or a service
 * refuses it: `data` gives the page's data besides what was typed and the errors.
 */
export function consoleForm(view: string, data: FormPage['data'] = () => ({})): { form: FormPage } {
  return { form: { view: `pages/admin/${view}`, data } }
}
