// The About of this installation (issue 18 point 8): who runs it, a contact address and a few
// words per language, set by an admin; the public About and privacy pages show them.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { locales } from '../../locale.ts'
import { findAbout, setAbout } from '../../modules/site/service.ts'
import { formBody } from '../../plugins/validation.ts'
import { actorOf, consoleForm, page } from './forms.ts'
import { emailAddress } from '../schema.ts'

const admin = { config: { access: 'admin' as const } }
const text = z.string().trim().max(4000).optional()

const aboutForm = formBody(
  z.object({
    organisation: z.string().trim().min(1).max(200),
    contactEmail: emailAddress,
    text_en: text,
    text_ko: text,
    text_zh: text,
  }),
)

export default async function about(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  app.get('/about', admin, async (request, reply) => {
    const current = await findAbout(app.db)
    const values = current
      ? {
          organisation: current.organisation,
          contactEmail: current.contactEmail,
          ...Object.fromEntries(locales.map((l) => [`text_${l}`, current.texts[l] ?? ''])),
        }
      : {}
    const notice = (request.query as { saved?: string }).saved === '1' ? request.t('console.about.saved') : undefined
    return page(reply, 'about', { values, notice })
  })

  app.post(
    '/about',
    { config: { ...admin.config, ...consoleForm('about') }, schema: { body: aboutForm } },
    async (request, reply) => {
      const b = request.body
      await setAbout(app.db, actorOf(request), {
        organisation: b.organisation,
        contactEmail: b.contactEmail,
        texts: { en: b.text_en, ko: b.text_ko, zh: b.text_zh },
      })
      return reply.redirect('/admin/about?saved=1', 303)
    },
  )
}
