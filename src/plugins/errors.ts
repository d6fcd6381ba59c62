// The one root error handler: the contract's JSON shape under /api, an HTML page elsewhere.
// 5xx details are logged with the request id and never shown.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { isDatabaseBusy, isDatabaseUnreachable } from '../db/index.ts'
import { AppError, errorCatalogue, type ErrorCode } from '../errors.ts'
import type { MessageKey } from '../i18n/index.ts'

// Fastify's own client errors, mapped onto the catalogue.
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_input',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_input',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_input',
  FST_ERR_VALIDATION: 'invalid_input',
}

function classify(error: FastifyError | AppError): { code: ErrorCode; message: string; fields?: Record<string, string> } {
  if (error instanceof AppError) return { code: error.code, message: error.message, fields: error.fields }
  const mapped = error.code ? fastifyCodes[error.code] : undefined
  if (mapped) {
    const message = mapped === 'invalid_input' ? 'The request body is not valid JSON or form data.' : errorCatalogue[mapped].message
    return { code: mapped, message }
  }
  if (isDatabaseUnreachable(error) || isDatabaseBusy(error)) return { code: 'unavailable', message: errorCatalogue.unavailable.message }
  if (error.statusCode === 429) return { code: 'rate_limited', message: errorCatalogue.rate_limited.message }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return { code: 'invalid_input', message: errorCatalogue.invalid_input.message }
  }
  return { code: 'internal', message: errorCatalogue.internal.message }
}

const pageTexts: Partial<Record<ErrorCode, { title: MessageKey; body: MessageKey }>> = {
  not_found: { title: 'error.notFound.title', body: 'error.notFound.body' },
  too_large: { title: 'error.tooLarge.title', body: 'error.tooLarge.body' },
  internal: { title: 'error.server.title', body: 'error.server.body' },
  unavailable: { title: 'error.server.title', body: 'error.server.body' },
}

export function isApi(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/')
}

async function respond(
  request: FastifyRequest,
  reply: FastifyReply,
  e: { code: ErrorCode; message: string; fields?: Record<string, string> },
) {
  const status = errorCatalogue[e.code].status
  reply.code(status)
  // Postgres restarting or too busy, or Redis down: worth trying again shortly.
  if (status === 503) reply.header('retry-after', '5')
  if (isApi(request)) {
    return reply.send({ error: e.code, message: e.message, ...(e.fields ? { fields: e.fields } : {}) })
  }
  const texts = pageTexts[e.code] ?? { title: 'error.generic.title', body: 'error.generic.title' }
  const t = request.t
  return reply.view('errors/error', {
    title: t(texts.title),
    message: texts.body === texts.title ? e.message : t(texts.body),
    status,
  })
}

export default fp(
  async function errors(app: FastifyInstance) {
    app.setErrorHandler(async (error: FastifyError | AppError, request, reply) => {
      const e = classify(error)
      if (e.code === 'internal') request.log.error({ err: error }, 'request failed')
      else if (e.code === 'unavailable') request.log.warn({ err: error.message }, 'dependency unavailable')
      else request.log.info({ code: e.code }, 'client error')
      return respond(request, reply, e)
    })
    app.setNotFoundHandler(async (request, reply) =>
      respond(request, reply, { code: 'not_found', message: errorCatalogue.not_found.message }),
    )
  },
  { name: 'errors', dependencies: ['view', 'locale'] },
)
