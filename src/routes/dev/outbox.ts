// /dev/outbox: the emails written to OUTBOX_DIR, readable in a browser so a newcomer can click a
// confirm link without a mail server. Registered only when config.devOutbox is true (DEV_OUTBOX or
// `npm run demo`, SMTP_URL unset and NODE_ENV not production), and answers only this machine: it
// shows every confirm and invitation link.
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { simpleParser } from 'mailparser'
import { notFound } from '../../errors.ts'
import { isLoopback } from '../../security.ts'

const FILE = /^[\w.-]+\.eml$/

export default async function devOutbox(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const dir = app.config.outboxDir
  // The socket's own peer, not request.ip: behind TRUST_PROXY an X-Forwarded-For of 127.0.0.1 would
  // pass, and a proxy on this machine makes every client look local, so behind one it answers nobody.
  app.addHook('onRequest', async (request) => {
    if (app.config.trustProxy !== false || !isLoopback(request.socket.remoteAddress)) throw notFound()
  })

  app.get('/dev/outbox', async (_request, reply) => {
    const files = (await readdir(dir).catch(() => [] as string[]))
      .filter((f) => FILE.test(f))
      .sort()
      .reverse()
    const emails = await Promise.all(
      files.slice(0, 50).map(async (file) => {
        const mail = await simpleParser(await readFile(path.join(dir, file)))
        return {
          file,
          subject: mail.subject ?? '',
          to: mail.to
            ? [mail.to]
                .flat()
                .map((a) => a.text)
                .join(', ')
            : '',
          date: mail.date,
        }
      }),
    )
    reply.header('Cache-Control', 'no-store')
    return reply.view('pages/dev/outbox', { emails })
  })

  app.get(
    '/dev/outbox/:file',
    { schema: { params: z.object({ file: z.string().regex(FILE) }) } },
    async (request, reply) => {
      const { file } = request.params
      const raw = await readFile(path.join(dir, file)).catch(() => {
        throw notFound()
      })
      const mail = await simpleParser(raw)
      // The plain-text part, with links to this site made clickable; nothing else is rendered as HTML.
      const parts = (mail.text ?? '').split(/(https?:\/\/\S+)/g).map((chunk, i) => ({
        text: chunk,
        link: i % 2 === 1 && chunk.startsWith(app.config.publicUrl),
      }))
      reply.header('Cache-Control', 'no-store')
      return reply.view('pages/dev/email', {
        file,
        subject: mail.subject ?? '',
        headers: [...mail.headerLines].map((h) => h.line).filter((l) => !/^(content-|mime-)/i.test(l)),
        parts,
      })
    },
  )
}
