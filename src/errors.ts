// The error catalogue: a stable code, its HTTP status and a message for people.
// Services throw AppError; the root error handler turns it into HTML or the API's JSON shape.

export const errorCatalogue = {
  invalid_input: { status: 400, message: 'Some fields are not valid.' },
  unauthorized: { status: 401, message: 'A valid API token is required.' },
  forbidden: { status: 403, message: 'You may not do this.' },
  not_found: { status: 404, message: 'Not found.' },
  campaign_closed: { status: 409, message: 'This campaign is closed and no longer takes signatures.' },
  conflict: { status: 409, message: 'This conflicts with the current state.' },
  slug_taken: { status: 409, message: 'A campaign with this slug already exists.' },
  too_large: { status: 413, message: 'The request body is too large.' },
  unsupported_media_type: { status: 415, message: 'Send JSON or a form.' },
  rate_limited: { status: 429, message: 'Too many requests. Try again shortly.' },
  internal: { status: 500, message: 'Something went wrong on our side.' },
  unavailable: { status: 503, message: 'A service we depend on is unavailable.' },
} as const

export type ErrorCode = keyof typeof errorCatalogue

export class AppError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly fields: Record<string, string> | undefined

  constructor(code: ErrorCode, message?: string, fields?: Record<string, string>) {
    super(message ?? errorCatalogue[code].message)
    this.code = code
    this.status = errorCatalogue[code].status
    this.fields = fields
  }
}

export const notFound = () => new AppError('not_found')
