// Shared by the console's handlers: the pages, the forms they show again when refused, the actor.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { AppError } from '../../errors.ts'
import type { OrganizerActor } from '../../modules/audit/service.ts'
import type { FormPage } from '../../plugins/errors.ts'

export { formValues, type FormValues } from '../../plugins/errors.ts'

/** Where a login lands: the dashboard. */
export const CONSOLE_HOME = '/admin'

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

/**
 * The field a risky action's form carries once the person said yes on its confirm page. Without
 * it the action only asks (askFirst); with it, it is done.
 */
export const confirmForm = z.object({ confirm: z.string().max(10).optional() })

export const confirmed = (body: { confirm?: string | undefined }) => body.confirm === '1'

/** What a confirm page says and re-posts: see views/pages/admin/confirm.eta. */
export interface Ask {
  title: string
  /** What will happen, in words. */
  lines: string[]
  /** An invalidation's filter, said in words above the lines. */
  criteria?: Record<string, string>
  /** Where "yes" posts, with `fields` as they came and confirm=1. */
  action: string
  fields?: Record<string, string>
  yes: string
  /** Where "no" leads: the page the form was on. */
  back: string
  /** Rows the action would change, as their table shows them. */
  sample?: { total: number; rows: unknown[] }
}

/** A risky action's confirm page, in place of the action: nothing is changed. */
export function askFirst(reply: FastifyReply, ask: Ask) {
  return page(reply, 'confirm', { ask })
}
