// What the public forms send for the bot checks (src/modules/form-guard), and the stamp a
// re-rendered form carries.
import type { FastifyRequest } from 'fastify'
import type { Config } from '../config.ts'
import { FORM_STAMP_FIELD, HONEYPOT_FIELD, restamp, type SentForm } from '../modules/form-guard/service.ts'
import { formFields } from '../plugins/validation.ts'

export function sentGuard(request: FastifyRequest): SentForm {
  const fields = formFields(request.sentBody)
  return { honeypot: fields[HONEYPOT_FIELD], stamp: fields[FORM_STAMP_FIELD] }
}

/** For a form shown again with errors: the sent stamp if it verifies (the time spent counts), else a new one. */
export function stampAgain(config: Config, request: FastifyRequest): string {
  return restamp(config, sentGuard(request).stamp)
}
