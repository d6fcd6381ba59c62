// An error's message keys as text in one language: for the API (English), the CLI and the forms.
import type { AppError, FieldMessage } from '../errors.ts'
import type { Translate } from '../i18n/index.ts'

/** One message key, with its parameters if any, in the translator's language. */
export function say(t: Translate, message: FieldMessage): string {
  return typeof message === 'string' ? t(message) : t(message.key, message.params)
}

/** An AppError's message and per-field messages in the translator's language. */
export function sayError(t: Translate, error: AppError): { message: string; fields?: Record<string, string> } {
  const message = say(t, error.messageKey)
  if (!error.fields) return { message }
  const fields: Record<string, string> = {}
  for (const [field, m] of Object.entries(error.fields)) fields[field] = say(t, m)
  return { message, fields }
}
