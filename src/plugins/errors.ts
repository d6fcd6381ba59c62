// The one root error handler: the contract's JSON under /api (in English), the route's declared
// form again for a page (in the reader's language, keeping what was typed), or an error page.
// 5xx details are logged with the request id and never shown.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { isDatabaseBusy, isDatabaseUnreachable } from '../db/index.ts'
import { AppError, errorCatalogue, type ErrorCode, type FieldMessage } from '../errors.ts'
import { translator, type MessageKey } from '../i18n/index.ts'
import { isClientAbort } from '../logging.ts'
import { say, sayError } from '../present/errors.ts'
import { csrfUserInfo } from './session.ts'
import { formFields, issueFields, zodIssuesOf } from './validation.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The form this route shows again when its input or a service refuses what was sent. */
    form?: FormPage
  }
}

export type FormValues = Record<string, string>

export type FormPage = {
  /** The template, e.g. 'pages/alerts/form'. */
  view: string
  /**
   * The page's data besides `values` (what was typed) and `errors` (translated per field), which
   * it may override. Loaded afresh: the state may have changed, which is often why it was refused.
   */
  data: (
    request: FastifyRequest,
    errors: Record<string, string>,
    error: AppError,
  ) => Promise<Record<string, unknown>> | Record<string, unknown>
}

// Fastify's own client errors, mapped onto the catalogue.
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_input',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_input',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_input',
  FST_ERR_VALIDATION: 'invalid_input',
  FST_CSRF_INVALID_TOKEN: 'forbidden',
  FST_CSRF_MISSING_SECRET: 'forbidden',
}

function isApi(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/')
}

/** Any error as an AppError: what the handler renders. */
function classify(request: FastifyRequest, error: FastifyError | AppError): AppError {
  const issues = zodIssuesOf(error)
  if (issues) {
    // A page's address that does not parse names no page; the API says which part is wrong.
    const context = (error as FastifyError).validationContext
    if (context === 'params' && !isApi(request)) return new AppError('not_found')
    return new AppError('invalid_input', issueFields(issues))
  }
  if (error instanceof AppError) return error
  const mapped = error.code ? fastifyCodes[error.code] : undefined
  if (mapped === 'forbidden') return new AppError('forbidden', undefined, 'console.error.csrf')
  if (mapped === 'invalid_input') return new AppError('invalid_input', undefined, 'error.badBody')
  if (mapped) return new AppError(mapped)
  if (isDatabaseUnreachable(error) || isDatabaseBusy(error)) return new AppError('unavailable')
  if (error.statusCode === 429) return new AppError('rate_limited')
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return new AppError('invalid_input')
  return new AppError('internal')
}

const pageTexts: Partial<Record<ErrorCode, { title: MessageKey; body: MessageKey }>> = {
  not_found: { title: 'error.notFound.title', body: 'error.notFound.body' },
  too_large: { title: 'error.tooLarge.title', body: 'error.tooLarge.body' },
  internal: { title: 'error.server.title', body: 'error.server.body' },
  unavailable: { title: 'error.server.title', body: 'error.server.body' },
}

// The console's own page for these, in the reader's language; the rest get the public error page.
const consoleTexts: Partial<Record<ErrorCode, MessageKey>> = {
  forbidden: 'console.error.forbidden',
  not_found: 'error.notFound.body',
  conflict: 'console.error.conflict',
  unavailable: 'error.server.body',
}

// What a person can correct on the form itself; anything else is not the form's business.
const formCodes = new Set<ErrorCode>(['invalid_input', 'conflict', 'slug_taken', 'campaign_closed'])

const english = translator('en')

/** The submitted fields as strings, for showing again what was typed. */
export function formValues(request: FastifyRequest): FormValues {
  return formFields(request.sentBody)
}

/** Field messages in the reader's language; a refusal without fields is said for the whole form. */
function formErrors(request: FastifyRequest, e: AppError): Record<string, string> {
  const fields: Record<string, FieldMessage> = e.fields ?? { _: e.messageKey }
  return Object.fromEntries(Object.entries(fields).map(([field, m]) => [field, say(request.t, m)]))
}

async function respond(request: FastifyRequest, reply: FastifyReply, e: AppError, withForm = true) {
  reply.code(e.status)
  // Postgres restarting or too busy, or Redis down: worth trying again shortly.
  if (e.status === 503) reply.header('retry-after', '5')
  if (isApi(request)) {
    const { message, fields } = sayError(english, e)
    return reply.send({ error: e.code, message, ...(fields ? { fields } : {}) })
  }
  const config = request.routeOptions.config
  if (withForm && config.form && formCodes.has(e.code)) {
    const errors = formErrors(request, e)
    const data = await config.form.data(request, errors, e)
    return reply.view(config.form.view, { values: formValues(request), errors, ...data })
  }
  const consoleText = config.access ? consoleTexts[e.code] : undefined
  if (consoleText) {
    reply.header('Cache-Control', 'no-store')
    // A request refused before the console's locals hook (a bad CSRF token) still needs a token
    // for the layout's logout form.
    const account = request.account
    const csrf = account ? (reply.locals?.csrf ?? reply.generateCsrf({ userInfo: csrfUserInfo(request) })) : undefined
    const message =
      e.messageKey === errorCatalogue[e.code].message ? request.t(consoleText) : say(request.t, e.messageKey)
    return reply.view('pages/admin/error', { status: e.status, message, account, csrf })
  }
  const texts = pageTexts[e.code]
  return reply.view('errors/error', {
    title: request.t(texts?.title ?? 'error.generic.title'),
    message: texts ? request.t(texts.body) : say(request.t, e.messageKey),
    status: e.status,
  })
}

export default fp(
  async function errors(app: FastifyInstance) {
    // A tab closed or a connection reset mid-request: the client's doing, said once at info, never
    // as an outage (anyone can close connections; that must not page the operator).
    app.addHook('onRequestAbort', (request, done) => {
      request.log.info(
        { reason: request.raw.complete ? 'left before the whole answer' : 'left while sending the body' },
        'client went away',
      )
      done()
    })
    app.setErrorHandler(async (error: FastifyError | AppError, request, reply) => {
      if (isClientAbort(error, request.raw)) {
        // Reading the body failed because the client left: nobody is there to read an answer.
        request.log.debug({ reason: (error as FastifyError).code }, 'request body cut short by the client')
        return reply.code(400).send()
      }
      const e = classify(request, error)
      if (e.code === 'internal') request.log.error({ err: error }, 'request failed')
      else if (e.code === 'unavailable') request.log.warn({ err: error }, 'dependency unavailable')
      else request.log.info({ code: e.code }, 'client error')
      try {
        return await respond(request, reply, e)
      } catch (err) {
        // The form's page could not be loaded again (the campaign is gone meanwhile): say that instead.
        const again = classify(request, err as FastifyError)
        if (again.code === 'internal') request.log.error({ err }, 'error page failed')
        return respond(request, reply, again, false)
      }
    })
    app.setNotFoundHandler(async (request, reply) => respond(request, reply, new AppError('not_found')))
  },
  { name: 'errors', dependencies: ['view', 'locale'] },
)
