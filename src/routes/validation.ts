// zod issues to the per-field messages that the API returns and the forms show.
import type { z } from 'zod'
import { AppError } from '../errors.ts'
import { translator, type MessageKey, type Translate } from '../i18n/index.ts'

export type FieldErrors = Record<string, string>

function keyFor(issue: z.core.$ZodIssue): { key: MessageKey; params?: Record<string, number> } | { text: string } {
  switch (issue.code) {
    case 'too_small':
      return { key: 'error.required' }
    case 'too_big':
      return { key: 'error.tooLong', params: { max: Number(issue.maximum) } }
    case 'invalid_format':
      if (issue.format === 'email') return { key: 'error.email' }
      return issue.format === 'regex' ? { text: issue.message } : { key: 'error.invalid' }
    case 'invalid_type':
      return issue.input === undefined ? { key: 'error.required' } : { key: 'error.invalid' }
    case 'custom':
      return issue.params?.key ? { key: issue.params.key as MessageKey } : { text: issue.message }
    default:
      return { key: 'error.invalid' }
  }
}

/** One message per field, the first issue of each, in the given language. */
export function fieldErrors(error: z.ZodError, t: Translate): FieldErrors {
  const fields: FieldErrors = {}
  for (const issue of error.issues) {
    const field = issue.path.join('.') || '_'
    if (fields[field]) continue
    const found = keyFor(issue)
    fields[field] = 'text' in found ? found.text : t(found.key, found.params)
  }
  return fields
}

const english = translator('en')

/** Parses an API body or throws the contract's 400 with each bad field named. */
export function parseApi<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {})
  if (!result.success) throw new AppError('invalid_input', 'Some fields are not valid.', fieldErrors(result.error, english))
  return result.data
}
