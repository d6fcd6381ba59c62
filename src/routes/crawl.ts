// robots.txt and the favicon, served from memory: a browser asks for /favicon.ico on every site,
// and an answer of our own keeps that request (and a search engine's robots.txt) off the 404 path.
import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import { FAVICON_URL, ROBOTS_TXT } from '../crawl.ts'

const favicon = readFileSync(new URL('../../public/favicon.svg', import.meta.url))

export default async function crawl(app: FastifyInstance) {
  app.get('/robots.txt', (_request, reply) =>
    reply.header('cache-control', 'public, max-age=86400').type('text/plain; charset=utf-8').send(ROBOTS_TXT),
  )
  app.get(FAVICON_URL, (_request, reply) =>
    reply.header('cache-control', 'public, max-age=604800').type('image/svg+xml').send(favicon),
  )
  // Browsers that never read the page's <link rel="icon"> ask here; they follow a redirect.
  app.get('/favicon.ico', (_request, reply) =>
    reply.header('cache-control', 'public, max-age=604800').redirect(FAVICON_URL, 301),
  )
}
