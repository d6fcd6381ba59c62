// Shared by the console's handlers: reading forms, re-rendering them with errors, the actor.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import { AppError } from '../../errors.ts'
import type { Actor } from '../../modules/audit/service.ts'
import { FormError } from '../../modules/form-error.ts'
import { fieldErrors, type FieldErrors } from '../validation.ts'

export type FormValues = Record<string, string>

/** Where a session that must replace a one-time password is sent: the account page's password form. */
export const CHANGE_PASSWORD_SCREEN = '/admin/account'

/** The submitted fields as strings, for re-rendering what was typed. */
export function formValues(request: FastifyRequest): FormValues {
  const body = request.body
  if (!body || typeof body !== 'object') return {}
  const values: FormValues = {}
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k === '_csrf') continue
    if (typeof v === 'string') values[k] = v
    else if (Array.isArray(v) && typeof v[0] === 'string') values[k] = v[0]
  }
  return values
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors }

export function parseForm<S extends z.ZodType>(request: FastifyRequest, schema: S, input: unknown): Parsed<z.infer<S>> {
  const result = schema.safeParse(input ?? {})
  return result.success ? { ok: true, data: result.data } : { ok: false, errors: fieldErrors(result.error, request.t) }
}

/** A service's FormError as translated field messages, or rethrows anything else. */
export function formErrorOf(request: FastifyRequest, err: unknown): { status: number; errors: FieldErrors } {
  if (!(err instanceof FormError)) throw err
  const errors: FieldErrors = {}
  for (const [field, key] of Object.entries(err.fields)) errors[field] = request.t(key)
  return { status: err.status, errors }
}

export function actorOf(request: FastifyRequest): Actor {
  if (!request.account) throw new AppError('forbidden')
  return { id: request.account.id, via: 'console' }
}

export function param<S extends z.ZodType>(schema: S, params: unknown): z.infer<S> {
  const result = schema.safeParse(params)
  if (!result.success) throw new AppError('not_found')
  return result.data
}

/** Renders a console page; the data carries the form state the templates expect. */
export function page(reply: FastifyReply, view: string, data: Record<string, unknown>, status = 200) {
  reply.code(status)
  return reply.view(`pages/admin/${view}`, { values: {}, errors: {}, ...data })
}
