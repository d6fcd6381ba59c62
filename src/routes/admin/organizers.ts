// Admin only: the accounts (invite, disable, enable) and the audit log.
import type { FastifyInstance } from 'fastify'
import {
  inviteOrganizer,
  organizersPage,
  reinviteOrganizer,
  setOrganizerDisabled,
} from '../../modules/accounts/service.ts'
import { auditPage } from '../../modules/audit/service.ts'
import { actorOf, formErrorOf, formValues, page, param, parseForm } from './forms.ts'
import { idParam, inviteForm, pageQuery } from './schema.ts'

const adminOnly = { config: { access: 'admin' as const } }

export default async function organizers(app: FastifyInstance) {
  app.get('/organizers', adminOnly, async (request, reply) => {
    const { page: n } = pageQuery.parse(request.query ?? {})
    const notice = (request.query as { invited?: unknown }).invited !== undefined ? request.t('console.organizers.invited') : undefined
    return page(reply, 'organizers/list', { list: await organizersPage(app.db, n ?? 1), notice })
  })

  app.get('/organizers/new', adminOnly, async (_request, reply) => page(reply, 'organizers/invite', { values: { role: 'organizer' } }))

  app.post('/organizers', adminOnly, async (request, reply) => {
    const values = formValues(request)
    const parsed = parseForm(request, inviteForm, values)
    try {
      if (!parsed.ok) return page(reply, 'organizers/invite', { values, errors: parsed.errors }, 400)
      await inviteOrganizer(app.db, app.config, actorOf(request), parsed.data, request.locale)
    } catch (err) {
      const { status, errors } = formErrorOf(request, err)
      return page(reply, 'organizers/invite', { values, errors }, status)
    }
    return reply.redirect('/admin/organizers?invited', 303)
  })

  for (const action of ['disable', 'enable'] as const) {
    app.post(`/organizers/:id/${action}`, adminOnly, async (request, reply) => {
      const { id } = param(idParam, request.params)
      await setOrganizerDisabled(app.db, actorOf(request), id, action === 'disable')
      return reply.redirect('/admin/organizers', 303)
    })
  }

  app.post('/organizers/:id/reinvite', adminOnly, async (request, reply) => {
    const { id } = param(idParam, request.params)
    await reinviteOrganizer(app.db, app.config, actorOf(request), id, request.locale)
    return reply.redirect('/admin/organizers?invited', 303)
  })

  app.get('/audit', adminOnly, async (request, reply) => {
    const { page: n, action } = pageQuery.parse(request.query ?? {})
    return page(reply, 'audit', { list: await auditPage(app.db, n ?? 1, action), action })
  })
}
