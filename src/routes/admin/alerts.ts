// An alert's progress in the console, with pause / resume / cancel. No JavaScript: the page
// is a snapshot with a refresh link, and each control is a form that POSTs and comes back here.
import type { FastifyInstance, FastifyReply } from 'fastify'
import { alertView, controlFromConsole } from '../../modules/reports/console.ts'
import { actorOf, formErrorOf, page, param } from './forms.ts'
import { idParam } from './schema.ts'

const organizer = { config: { access: 'organizer' as const } }

export default async function alerts(app: FastifyInstance) {
  async function showAlert(reply: FastifyReply, id: string, errors: Record<string, string> = {}, status = 200) {
    return page(reply, 'alerts/show', { ...(await alertView(app.db, id)), errors }, status)
  }

  app.get('/alerts/:id', organizer, async (request, reply) => showAlert(reply, param(idParam, request.params).id))

  for (const action of ['pause', 'resume', 'cancel'] as const) {
    app.post(`/alerts/:id/${action}`, organizer, async (request, reply) => {
      const { id } = param(idParam, request.params)
      try {
        await controlFromConsole(app.db, actorOf(request), id, action)
      } catch (err) {
        const { status, errors } = formErrorOf(request, err)
        return showAlert(reply, id, errors, status)
      }
      return reply.redirect(`/admin/alerts/${id}`, 303)
    })
  }
}
