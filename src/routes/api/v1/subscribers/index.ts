import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Locale } from '../../../../db/types.ts'
import { subscribe } from '../../../../modules/subscribers/service.ts'
import { limited } from '../../../../plugins/rate-limit.ts'
import { jsonBody } from '../../../../plugins/validation.ts'
import { subscribeBody } from './schema.ts'
import { checkEmailResponse } from '../../../schema.ts'

export default async function subscribersApi(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  // The same answer whatever the address's state: nobody learns whether it is subscribed.
  app.post(
    '/',
    { ...limited, schema: { body: jsonBody(subscribeBody), response: checkEmailResponse } },
    async (request, reply) => {
      const body = request.body
      await subscribe(app.db, app.config, { ...body, locale: body.locale as Locale | undefined }, request.locale)
      return reply.code(202).send({ status: 'check-email' })
    },
  )
}
