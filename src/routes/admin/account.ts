// One's own account: the password, the console's language and time zone, and the API tokens for scripts.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { changePassword, changeSettings, createToken, revokeToken, tokensPage } from '../../modules/accounts/service.ts'
import { formBody } from '../../plugins/validation.ts'
import { timeZoneNames } from '../../time-zone.ts'
import { safeNext } from './auth.ts'
import { deviceCookieOf } from './device.ts'
import { actorOf, consoleForm, formValues, page } from './forms.ts'
import { changePasswordForm, flag, idParam, languageForm, pageQuery, settingsForm, tokenForm } from './schema.ts'

const organizer = { config: { access: 'organizer' as const } }
// The password form is also the first-login screen of an account created with a printed password.
const passwordScreen = { config: { access: 'organizer' as const, beforeOwnPassword: true as const } }

/** The settings form as the account has it now; the password fields are never filled in. */
function accountPage(request: FastifyRequest, values?: Record<string, string>) {
  const account = request.account!
  return {
    values: values ?? { locale: account.locale ?? request.locale, timeZone: account.timeZone },
    zones: timeZoneNames(),
  }
}

export default async function account(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  app.get(
    '/account',
    { ...passwordScreen, schema: { querystring: z.object({ changed: flag, saved: flag }) } },
    async (request, reply) => {
      const { changed, saved } = request.query
      const notice = changed
        ? request.t('console.password.changed')
        : saved
          ? request.t('console.settings.saved')
          : undefined
      return page(reply, 'account', { ...accountPage(request), notice })
    },
  )

  // Refused, the form comes back with what was typed, in the account's language as it was.
  const settings = {
    config: { ...organizer.config, ...consoleForm('account', (request) => accountPage(request, formValues(request))) },
    schema: { body: formBody(settingsForm) },
  }
  app.post('/account/settings', settings, async (request, reply) => {
    await changeSettings(app.db, actorOf(request), request.body)
    return reply.redirect('/admin/account?saved', 303)
  })

  // The header's language buttons, on every console page (the first-login screen too).
  const language = { ...passwordScreen, schema: { body: formBody(languageForm) } }
  app.post('/account/language', language, async (request, reply) => {
    await changeSettings(app.db, actorOf(request), { locale: request.body.locale })
    return reply.redirect(safeNext(request.body.next), 303)
  })

  const passwordForm = {
    // Passwords are never written back into a form.
    config: { ...passwordScreen.config, ...consoleForm('account', (request) => accountPage(request)) },
    schema: { body: formBody(changePasswordForm, 'drop') },
  }
  app.post('/account/password', passwordForm, async (request, reply) => {
    await changePassword(app.db, app.redis, app.config, request.account!, request.body, {
      ip: request.ip,
      deviceCookie: deviceCookieOf(app, request),
    })
    return reply.redirect('/admin/account?changed', 303)
  })

  app.get('/tokens', { ...organizer, schema: { querystring: pageQuery } }, async (request, reply) => {
    return page(reply, 'tokens', { list: await tokensPage(app.db, request.account!.id, request.query.page ?? 1) })
  })

  // The new token is shown in this response only: it is stored as a hash and never shown again.
  const tokenRequest = {
    config: {
      ...organizer.config,
      ...consoleForm('tokens', async (request) => ({ list: await tokensPage(app.db, request.account!.id, 1) })),
    },
    schema: { body: formBody(tokenForm) },
  }
  app.post('/tokens', tokenRequest, async (request, reply) => {
    const { scope, expires } = request.body
    const token = await createToken(app.db, actorOf(request), { scope, expiresInDays: expires })
    return page(reply, 'tokens', { list: await tokensPage(app.db, request.account!.id, 1), token })
  })

  app.post('/tokens/:id/revoke', { ...organizer, schema: { params: idParam } }, async (request, reply) => {
    await revokeToken(app.db, actorOf(request), request.params.id)
    return reply.redirect('/admin/tokens', 303)
  })
}
