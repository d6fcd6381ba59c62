// Admin only: a supporter list uploaded as CSV (issue 17, point 5). The upload streams to a
// temporary file (at most IMPORT_MAX_MB), the import runs in this process and writes its progress
// to its row, and the import's page shows it, with a Refresh link, and refreshing itself while it
// runs if asked: no JavaScript.
// The form is multipart, so its CSRF token (and the language) must come before the file: they are
// read from the stream ahead of the session and CSRF checks, the file only once those passed.
import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import multipart, { type MultipartFile } from '@fastify/multipart'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError } from '../../errors.ts'
import { defaultLocale, toLocale } from '../../locale.ts'
import { createImport, importOf, recentImports, runImport } from '../../modules/subscribers/import-jobs.ts'
import { LISTED_INVALID } from '../../modules/subscribers/import.ts'
import { actorOf, consoleForm, page } from './forms.ts'
import { flag, idParam } from './schema.ts'

const adminOnly = { config: { access: 'admin' as const } }
const AUTO_REFRESH_SECONDS = 5

export default async function imports(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const maxMb = app.config.importMaxMb
  await app.register(multipart, {
    limits: { fileSize: maxMb * 1024 * 1024, files: 1, fields: 4, fieldSize: 1024, parts: 5 },
  })
  const uploads = new WeakMap<FastifyRequest, MultipartFile>()
  // A file the checks refused before it was read (no session, no CSRF token) is drained and
  // dropped, so the connection is not left holding it.
  app.addHook('onResponse', async (request) => {
    const upload = uploads.get(request)
    if (upload && !upload.file.readableEnded) upload.file.resume()
  })
  // The imports this process runs: stopped (and marked interrupted) when it closes.
  const running = new Set<{ abort: AbortController; done: Promise<unknown> }>()
  app.addHook('onClose', async () => {
    for (const r of running) r.abort.abort()
    await Promise.all([...running].map((r) => r.done))
  })

  const form = async (request: FastifyRequest) => ({
    recent: await recentImports(app.db),
    maxMb,
    values: { locale: request.locale },
  })
  app.get('/subscribers/import', adminOnly, async (request, reply) => page(reply, 'imports/new', await form(request)))

  app.post(
    '/subscribers/import',
    {
      config: { ...adminOnly.config, ...consoleForm('imports/new', form) },
      // The fields before the file, for the CSRF check and for the form shown again.
      preValidation: async (request) => {
        if (!request.isMultipart()) return
        // A body that is not multipart after all carries no readable token: the CSRF check refuses it.
        const upload = await request.file().catch(() => undefined)
        if (!upload) return
        uploads.set(request, upload)
        const field = (name: string) => {
          const f = upload.fields[name]
          return f && !Array.isArray(f) && f.type === 'field' ? String(f.value) : undefined
        }
        request.sentBody = { _csrf: field('_csrf'), locale: field('locale') }
      },
    },
    async (request, reply) => {
      const upload = uploads.get(request)
      if (!upload || !upload.filename) throw new AppError('invalid_input', { file: 'error.import.noFile' })
      const path = join(tmpdir(), `ua-import-${randomBytes(12).toString('hex')}.csv`)
      const tooLarge = new AppError('invalid_input', { file: { key: 'error.import.tooLarge', params: { mb: maxMb } } })
      try {
        await pipeline(upload.file, createWriteStream(path, { mode: 0o600 }))
        if (upload.file.truncated) throw tooLarge
      } catch (err) {
        await rm(path, { force: true })
        if (err instanceof AppError) throw err
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge
        // The upload broke off or its multipart body is malformed: the person can send it again.
        throw new AppError('invalid_input', { file: 'error.import.badUpload' })
      }
      const actor = actorOf(request)
      const { size } = await stat(path)
      const id = await createImport(app.db, actor, { filename: upload.filename, bytes: size })
      const locale = toLocale((request.sentBody as { locale?: string }).locale) ?? defaultLocale
      const abort = new AbortController()
      const entry = {
        abort,
        done: runImport(app.db, app.config, actor, { id, path, locale }, abort.signal, (err) =>
          // The message and code only: a database error's detail can quote the row, an address.
          app.log.error(
            { err: { message: (err as Error).message, code: (err as { code?: string }).code }, importId: id },
            'subscriber import failed',
          ),
        ).finally(() => running.delete(entry)),
      }
      running.add(entry)
      return reply.redirect(`/admin/subscribers/imports/${id}`, 303)
    },
  )

  // Refreshing by itself only when asked (`?auto`): a page that reloads unasked fails WCAG 2.2.1.
  const showQuery = z.object({ auto: flag })
  app.get(
    '/subscribers/imports/:id',
    { ...adminOnly, schema: { params: idParam, querystring: showQuery } },
    async (request, reply) => {
      const job = await importOf(app.db, request.params.id)
      if (!job) throw new AppError('not_found')
      const auto = request.query.auto && job.status === 'running'
      return page(reply, 'imports/show', {
        job,
        listed: LISTED_INVALID,
        auto,
        refreshSeconds: auto ? AUTO_REFRESH_SECONDS : undefined,
      })
    },
  )
}
