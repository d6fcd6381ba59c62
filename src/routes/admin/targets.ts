// Targets in the console: the list, create and edit, and archive (a target is never deleted:
// campaigns and the audit log keep naming it).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { setLetterBundle } from '../../modules/platform-letters/bundles.ts'
import { formBody } from '../../plugins/validation.ts'
import { archiveTarget, createTarget, findTarget, listTargets, updateTarget } from '../../modules/targets/service.ts'
import { actorOf, consoleForm, page } from './forms.ts'
import { idParam } from './schema.ts'
import { targetForm, targetValues } from './target-form.ts'

const organizer = { config: { access: 'organizer' as const } }

export default async function targets(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const formData = (request: FastifyRequest) => ({ countries: app.present.countryOptions(request.locale) })

  app.get('/targets', organizer, async (request, reply) => {
    const rows = await listTargets(app.db)
    const country = new Intl.DisplayNames([request.locale], { type: 'region' })
    return page(reply, 'targets/list', {
      rows: rows.map((r) => ({ ...r, countryName: country.of(r.country.trim()) ?? r.country })),
    })
  })

  app.get('/targets/new', organizer, async (request, reply) =>
    page(reply, 'targets/form', { mode: 'new', values: { locale: 'zh', country: 'CN' }, ...formData(request) }),
  )

  const create = {
    config: {
      ...organizer.config,
      ...consoleForm('targets/form', (request) => ({ mode: 'new', ...formData(request) })),
    },
    schema: { body: targetForm },
  }
  app.post('/targets', create, async (request, reply) => {
    await createTarget(app.db, actorOf(request), request.body)
    return reply.redirect('/admin/targets', 303)
  })

  const byId = { ...organizer, schema: { params: idParam } }
  app.get('/targets/:id/edit', byId, async (request, reply) => {
    const target = await findTarget(app.db, request.params.id)
    return page(reply, 'targets/form', { mode: 'edit', target, values: targetValues(target), ...formData(request) })
  })

  const editData = async (request: FastifyRequest) => ({
    mode: 'edit',
    target: await findTarget(app.db, idParam.parse(request.params).id),
    ...formData(request),
  })
  const edit = {
    config: { ...organizer.config, ...consoleForm('targets/form', editData) },
    schema: { params: idParam, body: targetForm },
  }
  app.post('/targets/:id/edit', edit, async (request, reply) => {
    await updateTarget(app.db, actorOf(request), request.params.id, request.body)
    return reply.redirect('/admin/targets', 303)
  })

  // One email a day with the day's letters, or one email per letter (platform-letters/bundles.ts).
  const bundleForm = {
    ...organizer,
    schema: { params: idParam, body: formBody(z.object({ bundle: z.literal('on').optional() })) },
  }
  app.post('/targets/:id/letters', bundleForm, async (request, reply) => {
    await setLetterBundle(app.db, actorOf(request), request.params.id, request.body.bundle === 'on')
    return reply.redirect(`/admin/targets/${request.params.id}/edit`, 303)
  })

  app.post('/targets/:id/archive', byId, async (request, reply) => {
    await archiveTarget(app.db, actorOf(request), request.params.id)
    return reply.redirect('/admin/targets', 303)
  })
}
