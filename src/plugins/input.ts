// Postgres text and jsonb cannot hold U+0000, jsonb refuses half of a UTF-16 surrogate pair
// (JSON can carry "\ud800"; text would silently get U+FFFD), and no browser or honest client
// sends either. A body that carries one is refused before any handler runs, with the field
// named, rather than failing in the database halfway through a request.
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import fp from 'fastify-plugin'
import { AppError } from '../errors.ts'
import { translator } from '../i18n/index.ts'
import { isApi } from './errors.ts'

const english = translator('en')

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

const UNSTORABLE = /[\0\p{Cs}]/u

function refuseUnstorable(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) {
  const field = request.body == null ? undefined : unstorableField(request.body, '')
  if (field === undefined) return done()
  const t = isApi(request) ? english : request.t
  const message = t('error.unstorable', { field })
  done(new AppError('invalid_input', message, { [field]: message }))
}

export default fp(
  async function input(app: FastifyInstance) {
    // Only on routes that take a body: a page read pays nothing for it.
    app.addHook('onRoute', (route) => {
      if (![route.method].flat().some((m) => WITH_BODY.has(m))) return
      route.preValidation = [refuseUnstorable, ...[route.preValidation ?? []].flat()]
    })
  },
  { name: 'input', dependencies: ['locale'] },
)

/**
 * The path of a key or string value holding U+0000 or a lone surrogate (`place.name`, `asks.0`),
 * if any. Walked with a stack of its own: a body may nest deeper than the call stack goes.
 */
export function unstorableField(body: unknown, root: string): string | undefined {
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
