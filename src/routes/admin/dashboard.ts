// The console's home (issue 18, point 11): live campaigns with today's signatures and their last
// days, subscribers by topic, alerts still sending, the outbox and the last failures, in the
// organizer's language and time zone. Admins also see the queues' failed jobs, as on the queues page.
import type { FastifyInstance } from 'fastify'
import { dashboardOf } from '../../modules/dashboard/service.ts'
import { dashboardView } from '../../present/dashboard/view.ts'
import { page } from './forms.ts'

export default async function dashboard(app: FastifyInstance) {
  app.get('/', { config: { access: 'organizer' } }, async (request, reply) => {
    const account = request.account!
    const figures = await dashboardOf(app.db, {
      timeZone: account.timeZone,
      now: new Date(),
      queues: account.role === 'admin' ? app.operatorQueues() : null,
    })
    return page(reply, 'dashboard', {
      ...dashboardView(figures, request.locale, request.t),
      timeZone: account.timeZone,
    })
  })
}
