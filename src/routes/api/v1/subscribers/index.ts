import type { FastifyInstance } from 'fastify'
import type { Locale } from '../../../../db/types.ts'
import { subscribe } from '../../../../modules/subscribers/service.ts'
import { parseApi } from '../../../validation.ts'
import { subscribeBody } from './schema.ts'
import { limited } from '../../../../plugins/rate-limit.ts'

export default async function subscribersApi(app: FastifyInstance) {
  // The same answer whatever the address's state: nobody learns whether it is subscribed.
  app.post('/', limited, async (request, reply) => {
    const body = parseApi(subscribeBody, request.body)
    await subscribe(app.db, app.config, { ...body, locale: body.locale as Locale | undefined }, request.locale)
    return reply.code(202).send({ status: 'check-email' })
  })
}
