// Postgres text and jsonb cannot hold U+0000, jsonb refuses half of a UTF-16 surrogate pair
// (JSON can carry "\ud800"; text would silently get U+FFFD), and no browser or honest client
// sends either. A body that carries one is refused before any handler runs, with the field
// named, rather than failing in the database halfway through a request.
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import fp from 'fastify-plugin'
import { AppError } from '../errors.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The body as sent, before a route's schema replaced it with what it parsed: for the CSRF
     * token, for showing a refused form again as it was typed, and for the check below.
     */
    sentBody: unknown
  }
}

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

const UNSTORABLE = /[\0\p{Cs}]/u

// The last preHandler of every route, so a console form is judged only after the session, access
// and CSRF checks: an unstorable character first, then what the route's zod schemas refused
// (attached, not answered, by Fastify). A route's own preHandler (a 404 lookup) runs before it.
function judgeInput(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) {
  const sent = request.sentBody
  const field = WITH_BODY.has(request.method) && sent != null ? unstorableField(sent, '') : undefined
  if (field !== undefined) {
    const message = { key: 'error.unstorable', params: { field } } as const
    return done(new AppError('invalid_input', { [field]: message }, message))
  }
  if (request.validationError) return done(request.validationError)
  done()
}

function keepSentBody(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) {
  request.sentBody = request.body
  done()
}

export default fp(
  async function input(app: FastifyInstance) {
    app.decorateRequest('sentBody', undefined)
    app.addHook('onRoute', (route) => {
      const withBody = [route.method].flat().some((m) => WITH_BODY.has(m))
      // A page read without input declared pays nothing for this, and a read with input only
      // the judging: the campaign page is read thousands of times a second.
      if (withBody) route.preValidation = [keepSentBody, ...[route.preValidation ?? []].flat()]
      if (!route.schema && !withBody) return
      route.attachValidation = true
      route.preHandler = [...[route.preHandler ?? []].flat(), judgeInput]
    })
  },
  { name: 'input', dependencies: ['locale'] },
)

/**
 * The path of a key or string value holding U+0000 or a lone surrogate (`place.name`, `asks.0`),
 * if any. Walked with a stack of its own: a body may nest deeper than the call stack goes.
 */
function unstorableField(body: unknown, root: string): string | undefined {
  const stack: [unknown, string][] = [[body, root]]
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [value, path] = next
    if (typeof value === 'string') {
      if (UNSTORABLE.test(value)) return path || 'body'
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) {
        const at = path ? `${path}.${key}` : key
        if (UNSTORABLE.test(key)) return at
        stack.push([inner, at])
      }
    }
  }
  return undefined
}
