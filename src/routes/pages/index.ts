// Public pages: the live campaigns, a campaign with its petition form, and the thank-you page.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { sendEncoded, trimIndentation, type Encoded } from '../../compression.ts'
import { langTag } from '../../i18n/index.ts'
import { listLiveCampaigns } from '../../modules/campaigns/service.ts'
import { countRefusal, formStamp, judgeForm } from '../../modules/form-guard/service.ts'
import { issueChallenge, signingGate } from '../../modules/challenge/service.ts'
import { sign } from '../../modules/signatures/service.ts'
import type { PageData } from '../../present/campaigns/page-cache.ts'
import { ON_PAGE, timeline } from '../../present/updates/timeline.ts'
import { hasLetterStep } from '../../present/letters/write.ts'
import { figuresView } from '../../present/campaigns/figures.ts'
import { signatureBody, slugParam } from '../api/v1/campaigns/schema.ts'
import { formValues, type FormPage } from '../../plugins/errors.ts'
import { limited } from '../../plugins/rate-limit.ts'
import { formBody, formFields } from '../../plugins/validation.ts'
import { sentGuard, stampAgain } from '../form-guard.ts'
import { suggestAddress } from '../../present/email-typo.ts'
import { seal, unseal } from '../../security.ts'
import { challengeScript } from '../../assets.ts'
import { openGraph, sharePanel } from '../../present/share/links.ts'

const HTML = 'text/html; charset=utf-8'
// The language comes from ?lang=, the cookie or Accept-Language (plugins/locale.ts).
const VARY_ENCODED = 'Accept-Language, Cookie, Accept-Encoding'

type FieldErrors = Record<string, string>
export type SignForm = Partial<
  Record<
    'name' | 'email' | 'country' | 'comment' | 'publicName' | 'alerts' | 'noUpdates' | 'challenge' | 'solution',
    string
  >
>

// The petition form's fields, read as the API's signature, and the proof of work (if the form
// asked for one): a challenge too long to be ours is no challenge, a solution too long a wrong one.
export const signForm = formBody(
  z.preprocess(
    (f: SignForm) => ({
      name: f.name ?? '',
      email: f.email ?? '',
      country: f.country ?? '',
      comment: f.comment || undefined,
      publicName: f.publicName === 'on',
      alerts: f.alerts === 'on',
      updates: f.noUpdates !== 'on',
      challenge: f.challenge,
      solution: f.solution ?? '',
    }),
    signatureBody.extend({
      challenge: z.string().max(200).optional().catch(undefined),
      solution: z.string().max(12).catch('-'),
    }),
  ),
  'drop',
)
// Only ?countries=all means anything; whatever else is sent is the short list.
const campaignQuery = z.object({
  countries: z
    .unknown()
    .optional()
    .transform((v) => v === 'all'),
})

export default async function pages(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  app.get('/', async (request, reply) => {
    const campaigns = (await listLiveCampaigns(app.db)).map((c) => app.present.campaigns.localise(c, request.locale))
    const og = openGraph(app.config.publicUrl, request.locale, {
      title: request.t('site.name'),
      description: request.t('site.description'),
      cardPath: '/card.png',
    })
    return reply.view('pages/home', { campaigns, og })
  })

  // A viral campaign's page is read thousands of times a second. The blank form's HTML depends
  // only on the page data, the language and whether the form lists every country: the
  // instance's page cache (src/present/campaigns/page-cache.ts) renders each once, and
  // compresses it once. A re-rendered form with errors is never cached. The form's signed render
  // time is the page cache's (`renderedAt`), kept for a moment so the bytes are mostly reused.
  const pages = app.present.campaignPages

  app.get('/campaigns/:slug', { schema: { params: slugParam, querystring: campaignQuery } }, (request, reply) => {
    const { slug } = request.params
    const allCountries = request.query.countries
    const key = allCountries ? `${request.locale}:all` : request.locale
    // The common case answers from memory, without a promise: the page is rendered and fresh.
    const page = pages.ready(slug, key)
    if (page) return sendPage(reply, page)
    return renderBlank(request, reply, slug, key, allCountries)
  })

  async function renderBlank(
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    key: string,
    allCountries: boolean,
  ) {
    const page = await pages.blank(slug, key, async (data, renderedAt) =>
      trimIndentation(
        await reply.viewAsync(
          'pages/campaigns/show',
          campaignView(request, data, {}, {}, allCountries, formStamp(app.config, renderedAt)),
        ),
      ),
    )
    return sendPage(reply, page)
  }

  function sendPage(reply: FastifyReply, page: Encoded) {
    return sendEncoded(reply, page, HTML, VARY_ENCODED)
  }

  // Refused: the page again with each field's message and what was typed; a campaign closed
  // meanwhile shows its notice instead of the form.
  const signFormPage: FormPage = {
    view: 'pages/campaigns/show',
    data: async (request, errors, error) => {
      const data = await pages.data(slugParam.parse(request.params).slug)
      const closed = error.code === 'campaign_closed'
      const values: SignForm = closed ? {} : formValues(request)
      // A country picked from the full list stays picked: the form lists them all again.
      const allCountries = !!values.country && !app.config.formCountries.includes(values.country)
      // Refused on the challenge page: the challenge stays, a fresh one (the old may be spent).
      const challenge = !closed && values.challenge !== undefined
      const stamp = stampAgain(app.config, request)
      return campaignView(request, data, values, closed ? {} : errors, allCountries, stamp, challenge)
    },
  }

  app.post(
    '/campaigns/:slug',
    { ...limited, config: { ...limited.config, form: signFormPage }, schema: { params: slugParam, body: signForm } },
    async (request, reply) => {
      const { slug } = request.params
      const { challenge, solution, ...input } = request.body
      const data = await pages.data(slug)
      // A bot is answered as a person is; only the count of such drops is kept.
      const bot = judgeForm(app.config, sentGuard(request))
      if (bot) {
        await countRefusal(app.db, 'signature', data.campaign.id, bot)
        return thanks(reply, slug, input)
      }
      // Past the network's budget: the form again, with a proof of work to do (see modules/challenge).
      const gate = await signingGate(app.redis, app.config, request.ip, challenge, solution)
      if (gate === 'challenge') {
        const values = formValues(request)
        const allCountries = !!values.country && !app.config.formCountries.includes(values.country)
        const stamp = stampAgain(app.config, request)
        reply.header('cache-control', 'no-store')
        return reply.view('pages/campaigns/show', campaignView(request, data, values, {}, allCountries, stamp, true))
      }
      const ctx = { locale: request.locale, ip: request.ip, held: gate === 'hold' }
      await sign(app.db, app.config, data.campaign, input, ctx)
      return thanks(reply, slug, input)
    },
  )

  // The form shown again with what was sent, signing nothing: "Country not listed?" (every
  // country), or the thanks page's "use this address instead" (the corrected address filled in).
  app.post('/campaigns/:slug/form', { schema: { params: slugParam, body: z.unknown() } }, async (request, reply) => {
    const data = await pages.data(request.params.slug)
    const values: SignForm = formValues(request)
    const allCountries =
      formFields(request.sentBody).list === 'all' ||
      (!!values.country && !app.config.formCountries.includes(values.country))
    reply.header('cache-control', 'no-store')
    const stamp = stampAgain(app.config, request)
    return reply.view('pages/campaigns/show', campaignView(request, data, values, {}, allCountries, stamp))
  })

  // The thanks page shows the address typed, for the person who typed it: sealed in a cookie of
  // their own, for that page only, for half an hour. It says what they sent and nothing the
  // database knows, so it reads the same for a first signature, a repeat, or a bot's.
  const THANKS_COOKIE = 'typed'
  const THANKS_SECONDS = 30 * 60
  const secureCookies = app.config.publicUrl.startsWith('https:')

  function thanks(
    reply: FastifyReply,
    slug: string,
    { email, alerts }: { email: string; alerts?: boolean | undefined },
  ) {
    const typed = JSON.stringify({ email, alerts: alerts === true, at: Math.floor(Date.now() / 1000) })
    reply.setCookie(THANKS_COOKIE, seal(app.config.secretKey, THANKS_COOKIE, typed), {
      path: `/campaigns/${slug}/thanks`,
      maxAge: THANKS_SECONDS,
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookies,
    })
    return reply.redirect(`/campaigns/${slug}/thanks`, 303)
  }

  const typedCookie = z.object({ email: z.string().max(254), alerts: z.boolean(), at: z.number().int() })
  function typedOf(request: FastifyRequest): z.infer<typeof typedCookie> | undefined {
    const text = unseal(app.config.secretKey, THANKS_COOKIE, request.cookies[THANKS_COOKIE])
    if (!text) return undefined
    const parsed = typedCookie.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : undefined
  }

  // Every update of a campaign in full, newest first: the campaign page shows the latest few.
  app.get('/campaigns/:slug/updates', { schema: { params: slugParam } }, async (request, reply) => {
    const { campaign, updates, delivered } = await pages.data(request.params.slug)
    return reply.view('pages/campaigns/updates', {
      campaign: app.present.campaigns.localise(campaign, request.locale),
      updates: timeline(updates, {}, delivered),
    })
  })

  app.get('/campaigns/:slug/thanks', { schema: { params: slugParam } }, async (request, reply) => {
    const { campaign } = await pages.data(request.params.slug)
    const c = app.present.campaigns.localise(campaign, request.locale)
    const typed = typedOf(request)
    // Within the email cooldown a repeat sends nothing: the page says when another can be asked for.
    const waitSeconds = typed ? typed.at + app.config.emailCooldownSeconds - Date.now() / 1000 : 0
    reply.header('cache-control', 'no-store')
    return reply.view('pages/campaigns/thanks', {
      campaign: c,
      address: typed?.email,
      suggestion: typed && suggestAddress(typed.email),
      againInMinutes: Math.max(0, Math.ceil(waitSeconds / 60)),
      alerts: typed?.alerts ? 'asked' : undefined,
      share: sharePanel(app.config.publicUrl, c, request.locale, request.t),
    })
  })

  function campaignView(
    request: FastifyRequest,
    data: PageData,
    values: SignForm,
    errors: FieldErrors,
    allCountries: boolean,
    formStamp: string,
    challenge = false,
  ) {
    const { campaign, signers, targets, updates, delivered } = data
    const c = app.present.campaigns.localise(campaign, request.locale)
    const shown = timeline(updates, { limit: ON_PAGE, excerpt: true }, delivered)
    return {
      ...(challenge ? { challenge: issueChallenge(app.config), challengeScript: challengeScript.url } : {}),
      campaign: c,
      signers,
      targets,
      updates: shown,
      moreUpdates: updates.length + delivered.length > ON_PAGE || shown.some((u) => u.cut),
      // The "write to them" step (views/partials/letter-step.eta), never a target's contact.
      letterStep: hasLetterStep(data),
      letterCounts: data.letterCounts,
      figures: data.stats ? figuresView(c.slug, data.stats, request.locale, request.t) : null,
      values,
      errors,
      hasErrors: Object.keys(errors).length > 0,
      formStamp,
      ipHashDays: app.config.ipHashDays,
      // The full list is 10 KB of a 15 KB page: the form lists the usual countries, the rest are a
      // button away, which sends what was typed so far to be shown again with every country.
      countries: allCountries
        ? app.present.countryOptions(request.locale)
        : app.present.countryOptions(request.locale, app.config.formCountries),
      allCountriesAction: allCountries ? null : `/campaigns/${c.slug}/form#country`,
      shareUrl: `${app.config.publicUrl}/campaigns/${c.slug}`,
      og: openGraph(app.config.publicUrl, request.locale, {
        title: c.title,
        description: c.summary,
        cardPath: `/campaigns/${c.slug}/card.png`,
      }),
      regionName: new Intl.DisplayNames([langTag(request.locale)], { type: 'region' }),
    }
  }
}
