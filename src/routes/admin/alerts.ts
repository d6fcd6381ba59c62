// An alert's progress in the console, with pause / resume / cancel. No JavaScript: the page
// refreshes itself while the alert sends, and each control is a form that POSTs and comes back here.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { controlAlert } from '../../modules/alerts/service.ts'
import { alertView } from '../../modules/reports/overview.ts'
import { formBody } from '../../plugins/validation.ts'
import { actorOf, askFirst, confirmed, confirmForm, consoleForm, page } from './forms.ts'
import { idParam } from './schema.ts'

const organizer = { config: { access: 'organizer' as const } }
const SENDING: readonly string[] = ['fanning-out', 'sending']
const REFRESH_SECONDS = 5

export default async function alerts(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  // While it sends, the page refreshes itself (a meta refresh: no script).
  app.get('/alerts/:id', { ...organizer, schema: { params: idParam } }, async (request, reply) => {
    const view = await alertView(app.db, request.params.id)
    const sending = SENDING.includes(view.alert.status)
    return page(reply, 'alerts/show', { ...view, refreshSeconds: sending ? REFRESH_SECONDS : undefined })
  })

  // A control the alert's state no longer allows: the page again, as the alert is now, saying so.
  const control = {
    config: {
      ...organizer.config,
      ...consoleForm('alerts/show', (request) => alertView(app.db, idParam.parse(request.params).id)),
    },
    schema: { params: idParam, body: formBody(confirmForm) },
  }
  for (const action of ['pause', 'resume', 'cancel'] as const) {
    app.post(`/alerts/:id/${action}`, control, async (request, reply) => {
      const { id } = request.params
      // Cancelling cannot be undone: it asks first (unless the alert is past cancelling: then the refusal).
      if (action === 'cancel' && !confirmed(request.body)) {
        const { alert, controls } = await alertView(app.db, id)
        if (controls.includes('cancel')) {
          return askFirst(reply, {
            title: request.t('console.ask.cancelTitle'),
            lines: [request.t('console.ask.cancelBody', { queued: alert.queued, sent: alert.sent })],
            action: `/admin/alerts/${id}/cancel`,
            yes: request.t('console.ask.cancelYes'),
            back: `/admin/alerts/${id}`,
          })
        }
      }
      await controlAlert(app.db, actorOf(request), id, action)
      return reply.redirect(`/admin/alerts/${id}`, 303)
    })
  }
}
