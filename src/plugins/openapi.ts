// The API's description, generated from the zod schemas the routes validate with (one source of
// truth, no hand-written YAML): @fastify/swagger collects every /api/v1 route as it is added, and
// fastify-type-provider-zod turns its schemas into JSON Schema. `GET /api/v1/openapi.json` serves
// it; `/api/docs` is Swagger UI from our own origin (the package ships its files), under our CSP
// with one addition on its pages: it fetches the document from this origin.
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { createJsonSchemaTransform } from 'fastify-type-provider-zod'

export const OPENAPI_PATH = '/api/v1/openapi.json'
const API_PREFIX = '/api/v1/'

const zodTransform = createJsonSchemaTransform({})

/** Every refusal, as the root error handler sends it (src/plugins/errors.ts). */
const errorSchema = {
  type: 'object' as const,
  required: ['error', 'message'],
  properties: {
    error: {
      type: 'string' as const,
      description: 'A stable code, e.g. `invalid_input`, `not_found`, `campaign_closed`',
    },
    message: { type: 'string' as const, description: 'What went wrong, in English' },
    fields: {
      type: 'object' as const,
      additionalProperties: { type: 'string' as const },
      description: 'Per field, what is wrong with it',
    },
  },
}
const refusal = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
})
// In the document only: Fastify serialises these through the error handler, not a schema.
const errorResponses = {
  '4XX': refusal(
    'Refused: bad input (400, naming the field), no or wrong token (401), a read token (403), unknown (404), not in this state (409), too many requests (429)',
  ),
  '5XX': refusal('Unavailable (503 with Retry-After when Postgres or Redis is out of reach)'),
}

export default fp(
  async function openapi(app: FastifyInstance, opts: { publicUrl: string; version: string }) {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Urgent Action API',
          version: opts.version,
          description:
            'Campaigns, signatures, letters to targets, updates, incident reports and alerts. Organizer routes take ' +
            '`Authorization: Bearer <token>` (`npm run cli -- token:create`); a `read` token may only read. Errors ' +
            'answer `{ error, message, fields? }` with a 4xx naming the field.',
        },
        servers: [{ url: opts.publicUrl }],
        components: {
          securitySchemes: { token: { type: 'http', scheme: 'bearer', description: 'An organizer API token' } },
          schemas: { Error: errorSchema },
        },
      },
      // Only the JSON API: pages, the console and the docs themselves are not part of it.
      transform: (input) => {
        if (!input.url.startsWith(API_PREFIX) || input.url === OPENAPI_PATH) {
          return { schema: { ...input.schema, hide: true }, url: input.url }
        }
        const transformed = zodTransform({ ...input, schema: input.schema ?? {} })
        const schema = (transformed.schema ?? {}) as { response?: Record<string, unknown> }
        return {
          ...transformed,
          schema: { ...schema, response: { ...errorResponses, ...schema.response } },
        }
      },
    })

    app.get(OPENAPI_PATH, { schema: { hide: true } }, async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300')
      return app.swagger()
    })

    await app.register(swaggerUi, {
      routePrefix: '/api/docs',
      uiConfig: { url: OPENAPI_PATH, deepLinking: false, validatorUrl: null },
      staticCSP: false,
      // Swagger UI reads the document with fetch(): its pages may connect to this origin, nothing
      // else. A hook of its routes only, after the security plugin's: no other request pays for it.
      uiHooks: {
        onRequest: (_request, reply, done) => {
          const csp = reply.getHeader('content-security-policy')
          if (typeof csp === 'string') reply.header('content-security-policy', `${csp};connect-src 'self'`)
          done()
        },
      },
    })
  },
  { name: 'openapi', dependencies: ['security'] },
)
