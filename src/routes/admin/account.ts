// One's own account: the password, and the API tokens for scripts.
import type { FastifyInstance } from 'fastify'
import { changePassword, createToken, revokeToken, tokensPage } from '../../modules/accounts/service.ts'
import { actorOf, formErrorOf, page, param, parseForm } from './forms.ts'
import { changePasswordForm, idParam, pageQuery } from './schema.ts'

const organizer = { config: { access: 'organizer' as const } }
// The password form is also the first-login screen of an account created with a printed password.
const passwordScreen = { config: { access: 'organizer' as const, beforeOwnPassword: true as const } }

export default async function account(app: FastifyInstance) {
  app.get('/account', passwordScreen, async (request, reply) => {
    const notice = (request.query as { changed?: unknown }).changed !== undefined ? request.t('console.password.changed') : undefined
    return page(reply, 'account', { notice })
  })

  app.post('/account/password', passwordScreen, async (request, reply) => {
    const parsed = parseForm(request, changePasswordForm, request.body)
    try {
      if (!parsed.ok) return page(reply, 'account', { errors: parsed.errors }, 400)
      await changePassword(app.db, request.account!, parsed.data)
    } catch (err) {
      const { status, errors } = formErrorOf(request, err)
      return page(reply, 'account', { errors }, status)
    }
    return reply.redirect('/admin/account?changed', 303)
  })

  app.get('/tokens', organizer, async (request, reply) => {
    const { page: n } = pageQuery.parse(request.query ?? {})
    return page(reply, 'tokens', { list: await tokensPage(app.db, request.account!.id, n ?? 1) })
  })

  // The new token is shown in this response only: it is stored as a hash and never shown again.
  app.post('/tokens', organizer, async (request, reply) => {
    const token = await createToken(app.db, actorOf(request))
    return page(reply, 'tokens', { list: await tokensPage(app.db, request.account!.id, 1), token })
  })

  app.post('/tokens/:id/revoke', organizer, async (request, reply) => {
    const { id } = param(idParam, request.params)
    await revokeToken(app.db, actorOf(request), id)
    return reply.redirect('/admin/tokens', 303)
  })
}
