// Campaigns in the console: the list with its counts, create and edit with a preview,
// launch / close / reopen, and one page per translation.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { z } from 'zod'
import type { CampaignTexts, Locale } from '../../db/types.ts'
import type { FormPage } from '../../plugins/errors.ts'
import { langTag, locales, toLocale } from '../../i18n/index.ts'
import type { CampaignRow } from '../../modules/campaigns/repository.ts'
import {
  campaignsPage,
  closeCampaign,
  createCampaign,
  findCampaign,
  launchCampaign,
  reopenCampaign,
  saveTranslation,
  updateCampaign,
} from '../../modules/campaigns/service.ts'
import { countHeld } from '../../modules/signature-admin/review.ts'
import { catchAllSuspects, signatureOverview } from '../../modules/signature-admin/service.ts'
import { refusalsByDay } from '../../modules/form-guard/service.ts'
import { letterOf } from '../../modules/letters/templates.ts'
import { campaignTargetIds, listTargets } from '../../modules/targets/service.ts'
import { actorOf, askFirst, confirmed, confirmForm, consoleForm, formValues, page, type FormValues } from './forms.ts'
import {
  campaignForm,
  newCampaignForm,
  campaignsQuery,
  previewIntent,
  slugLocaleParams,
  slugParam,
  tickedTargets,
  translationForm,
  withTargets,
} from './schema.ts'
import { dayRange, searchValues } from './search.ts'
import { formBody } from '../../plugins/validation.ts'
import { embedSnippet } from '../../present/campaigns/embed.ts'

const organizer = { config: { access: 'organizer' as const } }

/** The form's fields from a stored campaign. */
function valuesOf(c: CampaignRow): FormValues {
  return {
    title: c.title,
    summary: c.summary,
    body: c.body,
    target: c.target,
    asks: c.asks.join('\n'),
    goal: String(c.goal),
    deadline: c.deadline ? c.deadline.toISOString().slice(0, 10) : '',
    locale: c.locale,
    embedOrigins: c.embed_origins.join('\n'),
  }
}

/** What the preview shows: the texts as a reader would see them, from what was typed. */
function previewOf(values: FormValues, renderBody: (body: string) => string) {
  return {
    title: values.title ?? '',
    summary: values.summary ?? '',
    target: values.target ?? '',
    asks: (values.asks ?? '')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean),
    bodyHtml: renderBody(values.body ?? ''),
  }
}

export default async function campaigns(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  /** The targets the form offers, and which of them are ticked. */
  const targetChoices = async (chosen: string[]) => ({ targets: await listTargets(app.db), chosen })
  // A refused form shows the preview of what was typed too, as the Preview button would, and
  // the targets as they were ticked.
  const withPreview =
    (data: (request: FastifyRequest) => Promise<Record<string, unknown>> | Record<string, unknown>): FormPage['data'] =>
    async (request) => ({
      ...(await data(request)),
      ...(await targetChoices(tickedTargets(request.sentBody))),
      preview: previewOf(formValues(request), app.present.campaigns.renderBody),
    })
  const bySlug = { ...organizer, schema: { params: slugParam } }

  async function campaignList(query?: z.output<typeof campaignsQuery>) {
    const { filter, page: key } = query ?? { filter: {}, page: { dir: 'after' as const } }
    const list = await campaignsPage(app.db, { status: filter.status, text: filter.q, ...dayRange(filter) }, key)
    // The title is in the campaign's own language, whatever the console's.
    const rows = list.rows.map((r) => ({ ...r, lang: langTag(toLocale(r.locale) ?? 'en') }))
    return { list: { ...list, rows }, filter }
  }
  // A search that cannot be read: every campaign, the form as typed, each error at its field.
  const list = {
    config: {
      ...organizer.config,
      ...consoleForm('campaigns/list', async (request) => ({
        ...(await campaignList()),
        values: searchValues(request.query),
      })),
    },
    schema: { querystring: campaignsQuery },
  }
  app.get('/campaigns', list, async (request, reply) =>
    page(reply, 'campaigns/list', { ...(await campaignList(request.query)), values: searchValues(request.query) }),
  )

  app.get('/campaigns/new', organizer, async (_request, reply) =>
    page(reply, 'campaigns/form', {
      mode: 'new',
      values: { locale: 'en', goal: '1000' },
      ...(await targetChoices([])),
    }),
  )

  const create = {
    config: {
      ...organizer.config,
      ...consoleForm(
        'campaigns/form',
        withPreview(() => ({ mode: 'new' })),
      ),
    },
    schema: { body: withTargets(newCampaignForm.extend(previewIntent)) },
  }
  app.post('/campaigns', create, async (request, reply) => {
    const { intent: preview, ...input } = request.body
    if (preview) {
      const values = formValues(request)
      return page(reply, 'campaigns/form', {
        mode: 'new',
        values,
        ...(await targetChoices(input.targets)),
        preview: previewOf(values, app.present.campaigns.renderBody),
      })
    }
    const row = await createCampaign(app.db, actorOf(request), input)
    return reply.redirect(`/admin/campaigns/${row.slug}`, 303)
  })

  async function overviewOf(slug: string) {
    const overview = await signatureOverview(app.db, slug)
    const [refused, catchAll, held, letter] = await Promise.all([
      refusalsByDay(app.db, 'signature', overview.campaign.id),
      catchAllSuspects(app.db, overview.campaign.id),
      countHeld(app.db, overview.campaign.id),
      letterOf(app.db, overview.campaign.id),
    ])
    return {
      ...overview,
      refused,
      catchAll,
      held,
      otherLocales: locales.filter((l) => l !== overview.campaign.locale),
      embedSnippet: embedSnippet(app.config.publicUrl, overview.campaign.slug, overview.campaign.title),
      letterLocales: locales.map((locale) => ({ locale, present: !!letter[locale] })),
    }
  }

  app.get('/campaigns/:slug', bySlug, async (request, reply) =>
    page(reply, 'campaigns/show', await overviewOf(request.params.slug)),
  )

  app.get('/campaigns/:slug/edit', bySlug, async (request, reply) => {
    const campaign = await findCampaign(app.db, request.params.slug)
    const chosen = await campaignTargetIds(app.db, campaign.id)
    return page(reply, 'campaigns/form', {
      mode: 'edit',
      campaign,
      values: valuesOf(campaign),
      ...(await targetChoices(chosen)),
    })
  })

  const editForm = withPreview(async (request) => ({
    mode: 'edit',
    campaign: await findCampaign(app.db, slugParam.parse(request.params).slug),
  }))
  const edit = {
    config: { ...organizer.config, ...consoleForm('campaigns/form', editForm) },
    schema: { params: slugParam, body: withTargets(campaignForm.extend(previewIntent)) },
  }
  app.post('/campaigns/:slug/edit', edit, async (request, reply) => {
    const { slug } = request.params
    const { intent: preview, ...input } = request.body
    if (preview) {
      const values = formValues(request)
      const campaign = await findCampaign(app.db, slug)
      return page(reply, 'campaigns/form', {
        mode: 'edit',
        campaign,
        values,
        ...(await targetChoices(input.targets)),
        preview: previewOf(values, app.present.campaigns.renderBody),
      })
    }
    await updateCampaign(app.db, actorOf(request), slug, input)
    app.present.campaignPages.forget(slug)
    return reply.redirect(`/admin/campaigns/${slug}`, 303)
  })

  // A state the campaign is no longer in: its page again, as it is now, saying so.
  const changeState = {
    config: {
      ...organizer.config,
      ...consoleForm('campaigns/show', (request) => overviewOf(slugParam.parse(request.params).slug)),
    },
    schema: { params: slugParam, body: formBody(confirmForm) },
  }
  for (const [action, run] of [
    ['launch', launchCampaign],
    ['close', closeCampaign],
    ['reopen', reopenCampaign],
  ] as const) {
    app.post(`/campaigns/:slug/${action}`, changeState, async (request, reply) => {
      const { slug } = request.params
      // Closing a live campaign stops its signing at once: it asks first.
      if (action === 'close' && !confirmed(request.body)) {
        const { campaign, status } = await signatureOverview(app.db, slug)
        if (campaign.status === 'live') {
          return askFirst(reply, {
            title: request.t('console.ask.closeTitle'),
            lines: [request.t('console.ask.closeBody', { title: campaign.title, count: status.confirmed })],
            action: `/admin/campaigns/${slug}/close`,
            yes: request.t('console.ask.closeYes'),
            back: `/admin/campaigns/${slug}`,
          })
        }
      }
      await run(app.db, actorOf(request), slug)
      app.present.campaignPages.forget(slug)
      return reply.redirect(`/admin/campaigns/${slug}`, 303)
    })
  }

  // The original's hints and what the translator types each carry their language, for screen
  // readers and input methods; the console's labels around them keep the console's.
  const translationLangs = (campaign: { locale: string }, locale: Locale) => ({
    originalLang: langTag(toLocale(campaign.locale) ?? 'en'),
    translationLang: langTag(locale),
  })

  const byLocale = { ...organizer, schema: { params: slugLocaleParams } }
  app.get('/campaigns/:slug/translations/:locale', byLocale, async (request, reply) => {
    const { slug, locale } = request.params
    const campaign = await findCampaign(app.db, slug)
    if (campaign.locale === locale) return reply.redirect(`/admin/campaigns/${slug}/edit`, 303)
    const tr: CampaignTexts = campaign.translations[locale] ?? {}
    const values = {
      title: tr.title ?? '',
      summary: tr.summary ?? '',
      body: tr.body ?? '',
      target: tr.target ?? '',
      asks: (tr.asks ?? []).join('\n'),
    }
    return page(reply, 'campaigns/translation', { campaign, locale, values, ...translationLangs(campaign, locale) })
  })

  async function translationPage(slug: string, locale: Locale) {
    const campaign = await findCampaign(app.db, slug)
    return { campaign, locale, ...translationLangs(campaign, locale) }
  }
  const translationData = withPreview((request) => {
    const { slug, locale } = slugLocaleParams.parse(request.params)
    return translationPage(slug, locale)
  })
  const translate = {
    config: { ...organizer.config, ...consoleForm('campaigns/translation', translationData) },
    schema: { params: slugLocaleParams, body: formBody(translationForm.extend(previewIntent)) },
  }
  app.post('/campaigns/:slug/translations/:locale', translate, async (request, reply) => {
    const { slug, locale } = request.params
    const { intent: preview, ...texts } = request.body
    if (preview) {
      const values = formValues(request)
      return page(reply, 'campaigns/translation', {
        ...(await translationPage(slug, locale)),
        values,
        preview: previewOf(values, app.present.campaigns.renderBody),
      })
    }
    await saveTranslation(app.db, actorOf(request), slug, locale, texts)
    app.present.campaignPages.forget(slug)
    return reply.redirect(`/admin/campaigns/${slug}`, 303)
  })
}
