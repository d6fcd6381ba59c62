// A campaign's petition form alone, for an iframe on the sites its organizer lists (contract:
// "Reach"), and the oEmbed answer that gives a site the iframe to paste.
//
// The embed lives in a third-party frame: browsers do not send it our SameSite=Lax cookies, so
// nothing here reads one or sets one. The language rides in the form's address (?hl=, not ?lang=,
// which would set the language cookie; without it, Accept-Language decides), the render stamp in
// a hidden field as on the page, and the thank-you page is the answer to the signing itself
// rather than a redirect to a page that would read the typed address from a cookie. The bot
// checks are the page's: the honeypot, the stamp, the network's budget and its proof of work.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { sendEncoded } from '../../compression.ts'
import { AppError } from '../../errors.ts'
import { langTag, toLocale, translator, type Locale } from '../../i18n/index.ts'
import { countRefusal, formStamp, judgeForm } from '../../modules/form-guard/service.ts'
import { issueChallenge, signingGate } from '../../modules/challenge/service.ts'
import { sign } from '../../modules/signatures/service.ts'
import type { PageData } from '../../present/campaigns/page-cache.ts'
import { suggestAddress } from '../../present/email-typo.ts'
import { EMBED_SIZE, embedSnippet } from '../../present/campaigns/embed.ts'
import { formValues, type FormPage } from '../../plugins/errors.ts'
import { limited } from '../../plugins/rate-limit.ts'
import { formFields } from '../../plugins/validation.ts'
import { challengeScript } from '../../assets.ts'
import { slugParam } from '../api/v1/campaigns/schema.ts'
import { sentGuard, stampAgain } from '../form-guard.ts'
import { signForm, type SignForm } from './index.ts'

const HTML = 'text/html; charset=utf-8'
const VARY_ENCODED = 'Accept-Language, Cookie, Accept-Encoding'

const oembedQuery = z.object({
  url: z.unknown().optional(),
  format: z.unknown().optional(),
  maxwidth: z.unknown().optional(),
  maxheight: z.unknown().optional(),
})

export default async function embedPages(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const pages = app.present.campaignPages
  const embedPath = (slug: string, locale?: Locale) => `/campaigns/${slug}/embed${locale ? `?hl=${locale}` : ''}`

  // Every answer of the embed, its errors and thanks included, may be framed by the campaign's
  // origins and by no one else: said before the body is read, so a refused form keeps it.
  const framed = {
    onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
      const hl = toLocale((request.query as Record<string, unknown> | undefined)?.hl)
      if (hl) {
        request.locale = hl
        request.t = translator(hl)
        reply.header('Content-Language', langTag(hl))
      }
      const { slug } = request.params as { slug?: string }
      if (!slug || !slugParam.safeParse({ slug }).success) return
      const { campaign } = await pages.data(slug)
      reply.frameableBy(campaign.embed_origins)
    },
  }

  app.get('/campaigns/:slug/embed', { ...framed, schema: { params: slugParam } }, async (request, reply) => {
    const { slug } = request.params
    const page = await pages.blank(slug, `embed:${request.locale}`, (data, renderedAt) =>
      reply.viewAsync(
        'pages/campaigns/embed',
        embedView(request, data, {}, {}, false, formStamp(app.config, renderedAt)),
      ),
    )
    return sendEncoded(reply, page, HTML, VARY_ENCODED)
  })

  // Refused: the embed again with each field's message and what was typed.
  const embedFormPage: FormPage = {
    view: 'pages/campaigns/embed',
    data: async (request, errors, error) => {
      const data = await pages.data(slugParam.parse(request.params).slug)
      const closed = error.code === 'campaign_closed'
      const values: SignForm = closed ? {} : formValues(request)
      const allCountries = !!values.country && !app.config.formCountries.includes(values.country)
      const challenge = !closed && values.challenge !== undefined
      const stamp = stampAgain(app.config, request)
      return embedView(request, data, values, closed ? {} : errors, allCountries, stamp, challenge)
    },
  }

  app.post(
    '/campaigns/:slug/embed',
    {
      ...framed,
      ...limited,
      config: { ...limited.config, form: embedFormPage },
      schema: { params: slugParam, body: signForm },
    },
    async (request, reply) => {
      const { slug } = request.params
      const { challenge, solution, ...input } = request.body
      const data = await pages.data(slug)
      const bot = judgeForm(app.config, sentGuard(request))
      if (bot) {
        await countRefusal(app.db, 'signature', data.campaign.id, bot)
        return thanks(request, reply, data, input)
      }
      const gate = await signingGate(app.redis, app.config, request.ip, challenge, solution)
      if (gate === 'challenge') {
        const values = formValues(request)
        const allCountries = !!values.country && !app.config.formCountries.includes(values.country)
        reply.header('cache-control', 'no-store')
        const stamp = stampAgain(app.config, request)
        return reply.view('pages/campaigns/embed', embedView(request, data, values, {}, allCountries, stamp, true))
      }
      const ctx = { locale: request.locale, ip: request.ip, held: gate === 'hold' }
      await sign(app.db, app.config, data.campaign, input, ctx)
      return thanks(request, reply, data, input)
    },
  )

  // The embed shown again with what was sent, signing nothing: every country, or the thanks'
  // corrected address.
  app.post(
    '/campaigns/:slug/embed/form',
    { ...framed, schema: { params: slugParam, body: z.unknown() } },
    async (request, reply) => {
      const data = await pages.data(request.params.slug)
      const values: SignForm = formValues(request)
      const allCountries =
        formFields(request.sentBody).list === 'all' ||
        (!!values.country && !app.config.formCountries.includes(values.country))
      reply.header('cache-control', 'no-store')
      const stamp = stampAgain(app.config, request)
      return reply.view('pages/campaigns/embed', embedView(request, data, values, {}, allCountries, stamp))
    },
  )

  // The thanks, as the answer to the signing: it says what was typed without a cookie, and the
  // same for a first signature, a repeat or a bot's. Sent again on a reload, it signs nothing new.
  function thanks(
    request: FastifyRequest,
    reply: FastifyReply,
    data: PageData,
    { email, alerts }: { email: string; alerts?: boolean | undefined },
  ) {
    reply.header('cache-control', 'no-store')
    return reply.view('pages/campaigns/embed-thanks', {
      campaign: app.present.campaigns.localise(data.campaign, request.locale),
      address: email,
      suggestion: suggestAddress(email),
      againInMinutes: Math.ceil(app.config.emailCooldownSeconds / 60),
      alerts: alerts === true,
      embedPath: embedPath(data.campaign.slug, request.locale),
      formAction: `/campaigns/${data.campaign.slug}/embed/form?hl=${request.locale}#sign`,
      campaignUrl: `${app.config.publicUrl}/campaigns/${data.campaign.slug}`,
    })
  }

  function embedView(
    request: FastifyRequest,
    data: PageData,
    values: SignForm,
    errors: Record<string, string>,
    allCountries: boolean,
    stamp: string,
    challenge = false,
  ) {
    const c = app.present.campaigns.localise(data.campaign, request.locale)
    const lang = `?hl=${request.locale}`
    return {
      ...(challenge ? { challenge: issueChallenge(app.config), challengeScript: challengeScript.url } : {}),
      campaign: c,
      embed: true,
      values,
      errors,
      hasErrors: Object.keys(errors).length > 0,
      formStamp: stamp,
      formAction: `/campaigns/${c.slug}/embed${lang}`,
      ipHashDays: app.config.ipHashDays,
      countries: allCountries
        ? app.present.countryOptions(request.locale)
        : app.present.countryOptions(request.locale, app.config.formCountries),
      allCountriesAction: allCountries ? null : `/campaigns/${c.slug}/embed/form${lang}#country`,
      campaignUrl: `${app.config.publicUrl}/campaigns/${c.slug}`,
    }
  }

  // oEmbed (https://oembed.com): a consumer given a campaign's address gets the iframe to paste.
  // JSON only; the errors are the API's shape.
  app.get('/oembed', { schema: { querystring: oembedQuery } }, async (request, reply) => {
    const { url, format } = request.query
    if (format !== undefined && format !== 'json') {
      return reply.code(501).send({ error: 'not_implemented', message: 'Only format=json is served.' })
    }
    const slug = campaignSlugOf(app.config.publicUrl, url)
    if (!slug) {
      return reply.code(400).send({
        error: 'invalid_input',
        message: 'The request has invalid fields.',
        fields: { url: "Give the address of a campaign's page on this site." },
      })
    }
    let data: PageData
    try {
      data = await pages.data(slug)
    } catch (e) {
      if (e instanceof AppError && e.status === 404) {
        return reply.code(404).send({ error: 'not_found', message: 'No campaign has this address.' })
      }
      throw e
    }
    const c = data.campaign
    const size = fitted(request.query.maxwidth, request.query.maxheight)
    reply.header('access-control-allow-origin', '*').header('cache-control', 'public, max-age=300')
    return {
      version: '1.0',
      type: 'rich',
      provider_name: request.t('site.name'),
      provider_url: app.config.publicUrl,
      title: c.title,
      html: embedSnippet(app.config.publicUrl, c.slug, c.title, size),
      width: size.width,
      height: size.height,
      cache_age: 300,
    }
  })
}

/** The slug of a campaign page's address (or its embed's) on this site, else undefined. */
function campaignSlugOf(publicUrl: string, url: unknown): string | undefined {
  if (typeof url !== 'string' || url.length > 500) return undefined
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  if (parsed.origin !== new URL(publicUrl).origin) return undefined
  const match = /^\/campaigns\/([a-z0-9][a-z0-9-]{0,79})(?:\/embed)?\/?$/.exec(parsed.pathname)
  return match?.[1]
}

/** The iframe's size within the consumer's maxwidth and maxheight, if it gave them. */
function fitted(maxwidth: unknown, maxheight: unknown) {
  const bound = (v: unknown, size: number) => {
    const n = typeof v === 'string' && /^\d{1,5}$/.test(v) ? Number(v) : NaN
    return n > 0 ? Math.min(size, n) : size
  }
  return { width: bound(maxwidth, EMBED_SIZE.width), height: bound(maxheight, EMBED_SIZE.height) }
}
