// Admin only: the accounts (invite, disable, enable) and the audit log.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import {
  findOrganizer,
  inviteOrganizer,
  organizersPage,
  reinviteOrganizer,
  setOrganizerDisabled,
} from '../../modules/accounts/service.ts'
import { auditPage } from '../../modules/audit/service.ts'
import { formBody } from '../../plugins/validation.ts'
import { actorOf, askFirst, confirmed, confirmForm, consoleForm, page } from './forms.ts'
import { auditQuery, flag, idParam, inviteForm, pageQuery } from './schema.ts'
import { dayRange, searchValues } from './search.ts'

const adminOnly = { config: { access: 'admin' as const } }
const byId = { ...adminOnly, schema: { params: idParam } }

export default async function organizers(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  const listQuery = pageQuery.extend({ invited: flag })
  app.get('/organizers', { ...adminOnly, schema: { querystring: listQuery } }, async (request, reply) => {
    const { page: n, invited } = request.query
    const notice = invited ? request.t('console.organizers.invited') : undefined
    return page(reply, 'organizers/list', { list: await organizersPage(app.db, n ?? 1), notice })
  })

  app.get('/organizers/new', adminOnly, async (_request, reply) =>
    page(reply, 'organizers/invite', { values: { role: 'organizer' } }),
  )

  const invite = {
    config: { ...adminOnly.config, ...consoleForm('organizers/invite') },
    schema: { body: formBody(inviteForm) },
  }
  app.post('/organizers', invite, async (request, reply) => {
    await inviteOrganizer(app.db, app.config, actorOf(request), request.body, request.locale)
    return reply.redirect('/admin/organizers?invited', 303)
  })

  const changeAccount = { ...adminOnly, schema: { params: idParam, body: formBody(confirmForm) } }
  for (const action of ['disable', 'enable'] as const) {
    app.post(`/organizers/:id/${action}`, changeAccount, async (request, reply) => {
      const { id } = request.params
      // Disabling revokes the account's tokens for good: it asks first (one's own account, or one
      // disabled already, gets its refusal instead).
      if (action === 'disable' && !confirmed(request.body) && id !== request.account!.id) {
        const account = await findOrganizer(app.db, id)
        if (!account.disabled_at) {
          return askFirst(reply, {
            title: request.t('console.ask.disableTitle'),
            lines: [request.t('console.ask.disableBody', { name: account.name, email: account.email })],
            action: `/admin/organizers/${id}/disable`,
            yes: request.t('console.ask.disableYes'),
            back: '/admin/organizers',
          })
        }
      }
      await setOrganizerDisabled(app.db, actorOf(request), request.params.id, action === 'disable')
      return reply.redirect('/admin/organizers', 303)
    })
  }

  app.post('/organizers/:id/reinvite', byId, async (request, reply) => {
    await reinviteOrganizer(app.db, app.config, actorOf(request), request.params.id, request.locale)
    return reply.redirect('/admin/organizers?invited', 303)
  })

  // A search that cannot be read: the whole log, the form as typed, each error at its field.
  const auditSearch = {
    config: {
      ...adminOnly.config,
      ...consoleForm('audit', async (request) => ({
        list: await auditPage(app.db, {}, { dir: 'after' }),
        values: searchValues(request.query),
        filter: {},
      })),
    },
    schema: { querystring: auditQuery },
  }
  app.get('/audit', auditSearch, async (request, reply) => {
    const { filter, page: key } = request.query
    const list = await auditPage(app.db, { action: filter.action, ...dayRange(filter) }, key)
    return page(reply, 'audit', { list, filter, values: searchValues(request.query) })
  })
}
