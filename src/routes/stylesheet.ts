// The one stylesheet, served from memory: compressed once at start (Brotli for browsers, gzip or
// plain for the rest) instead of read from disk per request, and kept by browsers for a year
// under an address that changes with its content, so a phone fetches it once per release.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import { encodeAll, sendEncoded } from '../compression.ts'

const css = readFileSync(new URL('../../public/app.css', import.meta.url), 'utf8')
const version = createHash('sha256').update(css).digest('base64url').slice(0, 12)
const etag = `"${version}"`

/** Where pages link the stylesheet (the layouts get it as `it.stylesheet`). */
export const STYLESHEET_URL = `/static/app.css?v=${version}`

export default async function stylesheet(app: FastifyInstance) {
  const encoded = await encodeAll(css)
  app.get('/static/app.css', (request, reply) => {
    // An address from an older release still gets today's stylesheet, but only for a revalidation.
    const current = (request.query as { v?: unknown }).v === version
    reply.header('cache-control', current ? 'public, max-age=31536000, immutable' : 'no-cache').header('etag', etag)
    if (request.headers['if-none-match'] === etag) return reply.code(304).send()
    return sendEncoded(reply, encoded, 'text/css; charset=utf-8', 'Accept-Encoding')
  })
}
