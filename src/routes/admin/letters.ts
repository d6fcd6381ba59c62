// A campaign's letter in the console, one page per language like its translations: subject and
// body with a preview as the letter page shows it. Saved through the campaign's one change
// (patchCampaign), audited as such; both fields empty removes that language.
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Locale } from '../../db/types.ts'
import { langTag } from '../../i18n/index.ts'
import { findCampaign, patchCampaign } from '../../modules/campaigns/service.ts'
import { letterOf } from '../../modules/letters/templates.ts'
import { formBody } from '../../plugins/validation.ts'
import { actorOf, consoleForm, formValues, page, type FormValues } from './forms.ts'
import { letterForm, previewIntent, slugLocaleParams } from './schema.ts'

const organizer = { config: { access: 'organizer' as const } }

const previewOf = (values: FormValues) => ({ subject: values.subject ?? '', body: values.body ?? '' })

export default async function letters(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  async function letterPage(slug: string, locale: Locale) {
    const campaign = await findCampaign(app.db, slug)
    return { campaign, locale, letterLang: langTag(locale) }
  }

  const byLocale = { ...organizer, schema: { params: slugLocaleParams } }
  app.get('/campaigns/:slug/letter/:locale', byLocale, async (request, reply) => {
    const { slug, locale } = request.params
    const data = await letterPage(slug, locale)
    const text = (await letterOf(app.db, data.campaign.id))[locale]
    return page(reply, 'campaigns/letter', {
      ...data,
      values: { subject: text?.subject ?? '', body: text?.body ?? '' },
    })
  })

  const save = {
    config: {
      ...organizer.config,
      ...consoleForm('campaigns/letter', async (request) => {
        const { slug, locale } = slugLocaleParams.parse(request.params)
        return { ...(await letterPage(slug, locale)), preview: previewOf(formValues(request)) }
      }),
    },
    schema: { params: slugLocaleParams, body: formBody(letterForm.extend(previewIntent)) },
  }
  app.post('/campaigns/:slug/letter/:locale', save, async (request, reply) => {
    const { slug, locale } = request.params
    const { intent: preview, subject, body } = request.body
    if (preview) {
      const values = formValues(request)
      return page(reply, 'campaigns/letter', {
        ...(await letterPage(slug, locale)),
        values,
        preview: previewOf(values),
      })
    }
    await patchCampaign(app.db, actorOf(request), slug, { letter: { [locale]: subject ? { subject, body } : null } })
    app.present.campaignPages.forget(slug)
    return reply.redirect(`/admin/campaigns/${slug}`, 303)
  })
}
