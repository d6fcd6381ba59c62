// Campaigns in the console: the list with its counts, create and edit with a preview,
// launch / close / reopen, and one page per translation.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { CampaignTexts, Locale } from '../../db/types.ts'
import { AppError } from '../../errors.ts'
import { langTag, locales, toLocale } from '../../i18n/index.ts'
import {
  campaignsPage,
  closeLive,
  findCampaign,
  launchDraft,
  reopenCampaign,
  saveTranslation,
  updateCampaign,
} from '../../modules/campaigns/editing.ts'
import { renderBody } from '../../modules/campaigns/present.ts'
import type { CampaignRow } from '../../modules/campaigns/repository.ts'
import { createCampaign } from '../../modules/campaigns/service.ts'
import { signatureOverview } from '../../modules/signature-admin/service.ts'
import { actorOf, formErrorOf, formValues, page, param, parseForm, type FormValues } from './forms.ts'
import { campaignForm, localeField, newCampaignForm, pageQuery, slugParam, translationForm } from './schema.ts'

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
  }
}

/** What the preview shows: the texts as a reader would see them, from what was typed. */
function previewOf(values: FormValues) {
  return {
    title: values.title ?? '',
    summary: values.summary ?? '',
    target: values.target ?? '',
    asks: (values.asks ?? '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean),
    bodyHtml: renderBody(values.body ?? ''),
  }
}

const wantsPreview = (request: FastifyRequest) => (request.body as { intent?: unknown } | undefined)?.intent === 'preview'

export default async function campaigns(app: FastifyInstance) {
  app.get('/campaigns', organizer, async (request, reply) => {
    const { page: n } = pageQuery.parse(request.query ?? {})
    return page(reply, 'campaigns/list', { list: await campaignsPage(app.db, n ?? 1) })
  })

  app.get('/campaigns/new', organizer, async (_request, reply) =>
    page(reply, 'campaigns/form', { mode: 'new', values: { locale: 'en', goal: '1000' } }),
  )

  app.post('/campaigns', organizer, async (request, reply) => {
    const values = formValues(request)
    const parsed = parseForm(request, newCampaignForm, values)
    if (wantsPreview(request) || !parsed.ok) {
      const errors = parsed.ok ? {} : parsed.errors
      return page(reply, 'campaigns/form', { mode: 'new', values, errors, preview: previewOf(values) }, parsed.ok ? 200 : 400)
    }
    if (parsed.data.deadline && parsed.data.deadline.getTime() <= Date.now()) {
      return page(reply, 'campaigns/form', { mode: 'new', values, errors: { deadline: request.t('console.campaign.deadlinePast') } }, 400)
    }
    try {
      const row = await createCampaign(app.db, request.account!.id, parsed.data, actorOf(request))
      return reply.redirect(`/admin/campaigns/${row.slug}`, 303)
    } catch (err) {
      if (err instanceof AppError && err.code === 'slug_taken') {
        return page(reply, 'campaigns/form', { mode: 'new', values, errors: { slug: request.t('console.campaign.slugTaken') } }, 409)
      }
      throw err
    }
  })

  app.get('/campaigns/:slug', organizer, async (request, reply) => {
    const { slug } = param(slugParam, request.params)
    return showCampaign(reply, slug)
  })

  async function showCampaign(reply: FastifyReply, slug: string, errors: Record<string, string> = {}, status = 200) {
    const overview = await signatureOverview(app.db, slug)
    return page(reply, 'campaigns/show', { ...overview, errors, otherLocales: locales.filter((l) => l !== overview.campaign.locale) }, status)
  }

  app.get('/campaigns/:slug/edit', organizer, async (request, reply) => {
    const { slug } = param(slugParam, request.params)
    const campaign = await findCampaign(app.db, slug)
    return page(reply, 'campaigns/form', { mode: 'edit', campaign, values: valuesOf(campaign) })
  })

  app.post('/campaigns/:slug/edit', organizer, async (request, reply) => {
    const { slug } = param(slugParam, request.params)
    const campaign = await findCampaign(app.db, slug)
    const values = formValues(request)
    const parsed = parseForm(request, campaignForm, values)
    const again = (errors: Record<string, string>, status: number, preview?: unknown) =>
      page(reply, 'campaigns/form', { mode: 'edit', campaign, values, errors, preview }, status)
    if (wantsPreview(request) || !parsed.ok) {
      return again(parsed.ok ? {} : parsed.errors, parsed.ok ? 200 : 400, previewOf(values))
    }
    try {
      await updateCampaign(app.db, actorOf(request), slug, parsed.data)
    } catch (err) {
      const { status, errors } = formErrorOf(request, err)
      return again(errors, status)
    }
    return reply.redirect(`/admin/campaigns/${slug}`, 303)
  })

  for (const [action, run] of [
    ['launch', launchDraft],
    ['close', closeLive],
    ['reopen', reopenCampaign],
  ] as const) {
    app.post(`/campaigns/:slug/${action}`, organizer, async (request, reply) => {
      const { slug } = param(slugParam, request.params)
      try {
        await run(app.db, actorOf(request), slug)
      } catch (err) {
        const { status, errors } = formErrorOf(request, err)
        return showCampaign(reply, slug, errors, status)
      }
      return reply.redirect(`/admin/campaigns/${slug}`, 303)
    })
  }

  // The original's hints and what the translator types each carry their language, for screen
  // readers and input methods; the console's labels around them keep the console's.
  const translationLangs = (campaign: { locale: string }, locale: Locale) => ({
    originalLang: langTag(toLocale(campaign.locale) ?? 'en'),
    translationLang: langTag(locale),
  })

  const translationTarget = (request: FastifyRequest) => {
    const { slug } = param(slugParam, request.params)
    const locale = localeField.safeParse((request.params as { locale?: unknown }).locale)
    if (!locale.success) throw new AppError('not_found')
    return { slug, locale: locale.data as Locale }
  }

  app.get('/campaigns/:slug/translations/:locale', organizer, async (request, reply) => {
    const { slug, locale } = translationTarget(request)
    const campaign = await findCampaign(app.db, slug)
    if (campaign.locale === locale) return reply.redirect(`/admin/campaigns/${slug}/edit`, 303)
    const tr: CampaignTexts = campaign.translations[locale] ?? {}
    const values = { title: tr.title ?? '', summary: tr.summary ?? '', body: tr.body ?? '', target: tr.target ?? '', asks: (tr.asks ?? []).join('\n') }
    return page(reply, 'campaigns/translation', { campaign, locale, values, ...translationLangs(campaign, locale) })
  })

  app.post('/campaigns/:slug/translations/:locale', organizer, async (request, reply) => {
    const { slug, locale } = translationTarget(request)
    const campaign = await findCampaign(app.db, slug)
    const values = formValues(request)
    const parsed = parseForm(request, translationForm, values)
    const again = (errors: Record<string, string>, status: number, preview?: unknown) =>
      page(reply, 'campaigns/translation', { campaign, locale, values, errors, preview, ...translationLangs(campaign, locale) }, status)
    if (wantsPreview(request) || !parsed.ok) return again(parsed.ok ? {} : parsed.errors, parsed.ok ? 200 : 400, previewOf(values))
    try {
      await saveTranslation(app.db, actorOf(request), slug, locale, parsed.data)
    } catch (err) {
      const { status, errors } = formErrorOf(request, err)
      return again(errors, status)
    }
    return reply.redirect(`/admin/campaigns/${slug}`, 303)
  })
}
