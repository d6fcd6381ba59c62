// One's own account: the password, and the API tokens for scripts.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { changePassword, createToken, revokeToken, tokensPage } from '../../modules/accounts/service.ts'
import { formBody } from '../../plugins/validation.ts'
import { deviceCookieOf } from './device.ts'
import { actorOf, consoleForm, page } from './forms.ts'
import { changePasswordForm, flag, idParam, pageQuery, tokenForm } from './schema.ts'

const organizer = { config: { access: 'organizer' as const } }
// The password form is also the first-login screen of an account created with a printed password.
const passwordScreen = { config: { access: 'organizer' as const, beforeOwnPassword: true as const } }

export default async function account(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  app.get(
    '/account',
    { ...passwordScreen, schema: { querystring: z.object({ changed: flag }) } },
    async (request, reply) => {
      const notice = request.query.changed ? request.t('console.password.changed') : undefined
      return page(reply, 'account', { notice })
    },
  )

  const passwordForm = {
    // Passwords are never written back into a form.
    config: { ...passwordScreen.config, ...consoleForm('account', () => ({ values: {} })) },
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
