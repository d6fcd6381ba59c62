// Public pages: the live campaigns, a campaign with its petition form, and the thank-you page.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { encodeAll, sendEncoded, type Encoded } from '../../compression.ts'
import { AppError } from '../../errors.ts'
import { countryOptions } from '../../i18n/countries.ts'
import { langTag } from '../../i18n/index.ts'
import { campaignPageData, freshCampaignPageData, type PageData } from '../../modules/campaigns/page-data.ts'
import { localise } from '../../modules/campaigns/present.ts'
import { listLiveCampaigns } from '../../modules/campaigns/service.ts'
import { sign } from '../../modules/signatures/service.ts'
import { signatureBody, slugParam } from '../api/v1/campaigns/schema.ts'
import { fieldErrors, type FieldErrors } from '../validation.ts'
import { limited } from '../../plugins/rate-limit.ts'

const HTML = 'text/html; charset=utf-8'
// The language comes from ?lang=, the cookie or Accept-Language (plugins/locale.ts).
const VARY_ENCODED = 'Accept-Language, Cookie, Accept-Encoding'

type SignForm = Partial<Record<'name' | 'email' | 'country' | 'comment' | 'publicName' | 'alerts', string>>

export default async function pages(app: FastifyInstance) {
  app.get('/', async (request, reply) => {
    const campaigns = (await listLiveCampaigns(app.db)).map((c) => localise(c, request.locale))
    return reply.view('pages/home', { campaigns })
  })

  // A viral campaign's page is read thousands of times a second. The blank form's HTML depends
  // only on the page data (one object per slug for PAGE_TTL_MS), the language and whether the
  // form lists every country: render each once, and compress it once. A re-rendered form with
  // errors is never cached.
  const rendered = new WeakMap<PageData, Map<string, Encoded | Promise<Encoded>>>()
  // The page data is reloaded every PAGE_TTL_MS, but the page mostly comes out the same: the
  // last bytes of each page are reused rather than compressed again.
  const lastEncoded = new Map<string, { html: string; encoded: Encoded }>()

  app.get('/campaigns/:slug', (request, reply) => {
    const slug = (request.params as { slug: string }).slug
    const allCountries = (request.query as { countries?: unknown }).countries === 'all'
    const key = allCountries ? `${request.locale}:all` : request.locale
    // The common case answers from memory, without a promise: the page is rendered and fresh.
    const fresh = freshCampaignPageData(slug)
    const page = fresh && rendered.get(fresh)?.get(key)
    if (page && !(page instanceof Promise)) return sendPage(reply, page)
    return renderBlank(request, reply, key, allCountries)
  })

  async function renderBlank(request: FastifyRequest, reply: FastifyReply, key: string, allCountries: boolean) {
    const slug = slugOf(request)
    const data = await campaignPageData(app.db, slug)
    let pages = rendered.get(data)
    if (!pages) rendered.set(data, (pages = new Map()))
    let page = pages.get(key)
    if (!page) {
      const forget = pages
      const view = campaignView(request, data, {}, {}, allCountries)
      const rendering = reply.viewAsync('pages/campaigns/show', view).then((html) => encodeOnce(`${slug} ${key}`, html))
      rendering.then(
        (encoded) => forget.set(key, encoded),
        () => forget.delete(key),
      )
      pages.set(key, (page = rendering))
    }
    return sendPage(reply, await page)
  }

  async function encodeOnce(pageKey: string, html: string): Promise<Encoded> {
    const last = lastEncoded.get(pageKey)
    if (last?.html === html) return last.encoded
    const encoded = await encodeAll(html)
    if (lastEncoded.size >= 3000) lastEncoded.clear()
    lastEncoded.set(pageKey, { html, encoded })
    return encoded
  }

  function sendPage(reply: FastifyReply, page: Encoded) {
    return sendEncoded(reply, page, HTML, VARY_ENCODED)
  }

  app.post('/campaigns/:slug', limited, async (request, reply) => {
    const slug = slugOf(request)
    const form = (request.body ?? {}) as SignForm
    if (typeof form !== 'object') throw new AppError('invalid_input')
    const parsed = signatureBody.safeParse({
      name: form.name ?? '',
      email: form.email ?? '',
      country: form.country ?? '',
      comment: form.comment || undefined,
      publicName: form.publicName === 'on',
      alerts: form.alerts === 'on',
    })
    if (!parsed.success) {
      reply.code(400)
      return renderCampaign(request, reply, slug, form, fieldErrors(parsed.error, request.t))
    }
    try {
      const { campaign } = await campaignPageData(app.db, slug)
      await sign(app.db, app.config, campaign, parsed.data, { locale: request.locale, ip: request.ip })
    } catch (err) {
      if (err instanceof AppError && err.code === 'campaign_closed') {
        reply.code(409)
        return renderCampaign(request, reply, slug, {}, {})
      }
      throw err
    }
    return reply.redirect(`/campaigns/${slug}/thanks`, 303)
  })

  app.get('/campaigns/:slug/thanks', async (request, reply) => {
    const { campaign } = await campaignPageData(app.db, slugOf(request))
    return reply.view('pages/campaigns/thanks', { campaign: localise(campaign, request.locale) })
  })

  async function renderCampaign(
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    values: SignForm,
    errors: FieldErrors,
  ) {
    const data = await campaignPageData(app.db, slug)
    // A country picked from the full list stays picked: the form lists them all again.
    const allCountries = !!values.country && !app.config.formCountries.includes(values.country)
    return reply.view('pages/campaigns/show', campaignView(request, data, values, errors, allCountries))
  }

  function campaignView(
    request: FastifyRequest,
    { campaign, signers }: PageData,
    values: SignForm,
    errors: FieldErrors,
    allCountries: boolean,
  ) {
    const c = localise(campaign, request.locale)
    return {
      campaign: c,
      signers,
      values,
      errors,
      hasErrors: Object.keys(errors).length > 0,
      // The full list is 10 KB of a 15 KB page: the form lists the usual countries, the rest are a link away.
      countries: allCountries ? countryOptions(request.locale) : countryOptions(request.locale, app.config.formCountries),
      allCountriesUrl: allCountries ? null : `/campaigns/${c.slug}?countries=all#country`,
      shareUrl: `${app.config.publicUrl}/campaigns/${c.slug}`,
      regionName: new Intl.DisplayNames([langTag(request.locale)], { type: 'region' }),
    }
  }
}

function slugOf(request: FastifyRequest): string {
  const parsed = slugParam.safeParse(request.params)
  if (!parsed.success) throw new AppError('not_found')
  return parsed.data.slug
}
