import type { MessageKey } from '../i18n/index.ts'

/**
 * A rule broken by what someone typed, named per field as message keys: the console re-renders
 * the form with each message in the reader's language and keeps what was typed.
 */
export class FormError extends Error {
  readonly fields: Record<string, MessageKey>
  readonly status: number

  constructor(fields: Record<string, MessageKey>, status = 400) {
    super(`invalid fields: ${Object.keys(fields).join(', ')}`)
    this.fields = fields
    this.status = status
  }
}
