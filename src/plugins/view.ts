import { fileURLToPath } from 'node:url'
import view from '@fastify/view'
import { Eta } from 'eta'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

const views = fileURLToPath(new URL('../../views', import.meta.url))

export default fp(
  async function viewPlugin(app: FastifyInstance, opts: { cache: boolean }) {
    // Eta escapes every <%= %> by default; <%~ %> is kept for HTML we produced ourselves.
    const eta = new Eta({ views, cache: opts.cache, autoEscape: true })
    await app.register(view, { engine: { eta }, root: views, production: opts.cache })
  },
  { name: 'view' },
)
