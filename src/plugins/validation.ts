// Route input is validated by zod through fastify-type-provider-zod; its issues become per-field
// message keys here, which the root error handler says in English (API) or the reader's language.
import type { FastifyError } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { FieldMessage } from '../errors.ts'
import type { MessageKey } from '../i18n/index.ts'

type Issue = z.core.$ZodIssue

/** The message key for a zod issue: a schema's own (`params.key`) or a generic one. */
export function messageOf(issue: Issue): FieldMessage {
  switch (issue.code) {
    case 'too_small':
      return 'error.required'
    case 'too_big':
      return { key: 'error.tooLong', params: { max: Number(issue.maximum) } }
    case 'invalid_format':
      return issue.format === 'email' ? 'error.email' : 'error.invalid'
    case 'invalid_type':
      return issue.input === undefined ? 'error.required' : 'error.invalid'
    case 'custom': {
      // A schema names its rule's message key (and the key's parameters) in params.
      const { key, ...params } = (issue.params ?? {}) as { key?: MessageKey } & Record<string, string | number>
      if (!key) return 'error.invalid'
      return Object.keys(params).length ? { key, params } : key
    }
    default:
      return 'error.invalid'
  }
}

/**
 * Reports an issue of an inner parse on the outer one, under `field` and with its message key
 * decided now, for a schema that reads a form through another schema.
 */
export function passIssue(ctx: z.RefinementCtx, field: string, message: FieldMessage) {
  const [key, params] = typeof message === 'string' ? [message, {}] : [message.key, message.params]
  ctx.addIssue({ code: 'custom', path: [field], params: { ...params, key } })
}

/** One message key per field, the first issue of each; a whole-object issue is the form's (`_`). */
export function issueFields(issues: readonly Issue[]): Record<string, FieldMessage> {
  const fields: Record<string, FieldMessage> = {}
  for (const issue of issues) {
    const field = issue.path.join('.') || '_'
    if (!fields[field]) fields[field] = messageOf(issue)
  }
  return fields
}

/** The zod issues behind a failed route schema, as fastify-type-provider-zod reports them. */
export function zodIssuesOf(error: unknown): Issue[] | undefined {
  if (!hasZodFastifySchemaValidationErrors(error)) return undefined
  return (
    error as FastifyError & { validation: { keyword: string; instancePath: string; params: object }[] }
  ).validation.map(
    (v) =>
      ({
        ...v.params,
        code: v.keyword,
        path: v.instancePath.split('/').slice(1).filter(Boolean),
      }) as unknown as Issue,
  )
}

/** A JSON body that may be absent: no body is an empty object, as the API has always read it. */
export const jsonBody = <S extends z.ZodType>(schema: S) => z.preprocess((v) => v ?? {}, schema)

/**
 * An HTML form's fields as strings, without the CSRF token. A field sent twice is read as its
 * first value, or (`repeated: 'drop'`) as not sent at all, so a one-value field cannot be smuggled
 * a second value.
 */
export function formFields(body: unknown, repeated: 'first' | 'drop' = 'first'): Record<string, string> {
  const values: Record<string, string> = {}
  if (!body || typeof body !== 'object') return values
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k === '_csrf') continue
    if (typeof v === 'string') values[k] = v
    else if (repeated === 'first' && Array.isArray(v) && typeof v[0] === 'string') values[k] = v[0]
  }
  return values
}

/** A form's schema reads the fields as formFields() gives them, as the re-rendered form shows them. */
export const formBody = <S extends z.ZodType>(schema: S, repeated: 'first' | 'drop' = 'first') =>
  z.preprocess((body) => formFields(body, repeated), schema)
