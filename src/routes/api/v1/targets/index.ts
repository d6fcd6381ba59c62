// Targets for organizers: create and list. Each answer carries the target's email: organizers only.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { createTarget, listTargets } from '../../../../modules/targets/service.ts'
import { targetToJson } from '../../../../present/targets/json.ts'
import { jsonBody } from '../../../../plugins/validation.ts'
import { targetBody, type TargetBody } from './schema.ts'
import { targetCreatedResponse, targetsResponse } from '../responses.ts'

/** The service's fields from the API's body: what is absent is none. */
export const targetFields = (b: TargetBody) => ({
  name: b.name,
  title: b.title ?? null,
  organisation: b.organisation,
  country: b.country,
  locale: b.locale,
  email: b.email ?? null,
  postalAddress: b.postalAddress ?? null,
  website: b.website ?? null,
  platformOnly: b.platformOnly ?? false,
})

export default async function targetsApi(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  app.addHook('preHandler', app.requireOrganizer)
  const actor = (request: FastifyRequest) => ({ id: request.organizer!.id, via: 'api' as const })

  app.get('/', { schema: { response: targetsResponse } }, async () => ({
    targets: (await listTargets(app.db)).map(targetToJson),
  }))

  app.post('/', { schema: { body: jsonBody(targetBody), response: targetCreatedResponse } }, async (request, reply) => {
    const row = await createTarget(app.db, actor(request), targetFields(request.body))
    return reply.code(201).send(targetToJson(row))
  })
}
