// The one error type and its catalogue: a stable code, its HTTP status and a message key per code.
// Services throw AppError with per-field message keys; the root error handler (plugins/errors.ts)
// says them in English as the API's JSON, or re-renders the form in the reader's language.
import type { MessageKey } from './i18n/index.ts'

export type FieldMessage = MessageKey | { key: MessageKey; params: Record<string, string | number> }

export const errorCatalogue = {
  invalid_input: { status: 400, message: 'error.code.invalid_input' },
  unauthorized: { status: 401, message: 'error.code.unauthorized' },
  forbidden: { status: 403, message: 'error.code.forbidden' },
  not_found: { status: 404, message: 'error.code.not_found' },
  campaign_closed: { status: 409, message: 'error.code.campaign_closed' },
  conflict: { status: 409, message: 'error.code.conflict' },
  slug_taken: { status: 409, message: 'error.code.slug_taken' },
  too_large: { status: 413, message: 'error.code.too_large' },
  unsupported_media_type: { status: 415, message: 'error.code.unsupported_media_type' },
  rate_limited: { status: 429, message: 'error.code.rate_limited' },
  internal: { status: 500, message: 'error.code.internal' },
  unavailable: { status: 503, message: 'error.code.unavailable' },
} as const satisfies Record<string, { status: number; message: MessageKey }>

export type ErrorCode = keyof typeof errorCatalogue

export class AppError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly fields: Record<string, FieldMessage> | undefined
  /** What the error says as a whole; the catalogue's message for its code unless given. */
  readonly messageKey: FieldMessage

  // `message` may carry parameters too (a field name), which a plain MessageKey is a case of.
  constructor(code: ErrorCode, fields?: Record<string, FieldMessage>, message?: FieldMessage) {
    // The Error's own message is for logs only: the code and the fields, never a person's text.
    super(fields ? `${code}: ${Object.keys(fields).join(', ')}` : code)
    this.code = code
    this.status = errorCatalogue[code].status
    this.fields = fields
    this.messageKey = message ?? errorCatalogue[code].message
  }
}

export const notFound = () => new AppError('not_found')
