// The versioned files (src/assets.ts), served from memory: compressed once at start (Brotli for
// browsers, gzip or plain for the rest) instead of read from disk per request, and kept by
// browsers for a year under an address that changes with their content, so a phone fetches each
// once per release.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { VERSIONED_ASSETS } from '../assets.ts'
import { encodeAll, sendEncoded } from '../compression.ts'

// Any ?v= at all: an old or odd one is still answered, only not kept for a year.
const versionQuery = z.object({ v: z.unknown().optional() })

export default async function assets(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  for (const asset of VERSIONED_ASSETS) {
    const encoded = await encodeAll(asset.content)
    app.get(asset.path, { schema: { querystring: versionQuery } }, (request, reply) => {
      // An address from an older release still gets today's file, but only for a revalidation.
      const current = request.query.v === asset.version
      reply
        .header('cache-control', current ? 'public, max-age=31536000, immutable' : 'no-cache')
        .header('etag', asset.etag)
      if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send()
      return sendEncoded(reply, encoded, asset.type, 'Accept-Encoding')
    })
  }
}
