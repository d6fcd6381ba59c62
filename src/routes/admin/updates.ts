// A campaign's updates and milestones in the console. Posting one that emails the signers goes
// through a preview that says how many it will reach, and a second press to confirm.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Locale } from '../../db/types.ts'
import { findCampaign } from '../../modules/campaigns/service.ts'
import { milestonesOf, removeMilestone, setMilestone } from '../../modules/updates/milestones.ts'
import { OUTCOMES, UPDATE_KINDS } from '../../modules/updates/limits.ts'
import { postUpdate, recipientCount, updatesOf } from '../../modules/updates/service.ts'
import { formBody } from '../../plugins/validation.ts'
import { timeline } from '../../present/updates/timeline.ts'
import { milestoneBody, updateBody } from '../api/v1/campaigns/update-schema.ts'
import { actorOf, consoleForm, formValues, page } from './forms.ts'
import { slugIdParams, slugParam } from './schema.ts'

const organizer = { config: { access: 'organizer' as const } }
const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v)

/** The update form read as the API's update; `step` says preview, post or confirm. */
const updateForm = formBody(
  z.preprocess(
    (f: Record<string, string>) => ({
      kind: f.kind ?? '',
      title: f.title ?? '',
      body: f.body ?? '',
      lang: blank(f.lang),
      outcome: f.kind === 'outcome' ? blank(f.outcome) : undefined,
      notify: f.notify === 'on',
      step: f.step,
    }),
    updateBody.and(z.object({ step: z.enum(['preview', 'post', 'confirm']).catch('preview') })),
  ),
)

const milestoneForm = formBody(
  z.preprocess(
    (f: Record<string, string>) => ({
      threshold: f.threshold ?? '',
      kind: blank(f.kind),
      title: blank(f.title),
      body: blank(f.body),
      lang: blank(f.lang),
      notify: f.notify === 'on',
    }),
    milestoneBody,
  ),
)

export default async function updates(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()

  async function screen(request: FastifyRequest, slug: string) {
    const campaign = await findCampaign(app.db, slug)
    const [list, milestones, recipients] = await Promise.all([
      updatesOf(app.db, campaign.id),
      milestonesOf(app.db, campaign.id),
      recipientCount(app.db, campaign.id),
    ])
    return {
      campaign,
      updates: timeline(list).map((u, i) => ({ ...u, alertId: list[i]!.alert_id })),
      milestones,
      recipients,
      kinds: UPDATE_KINDS.map((k) => ({ value: k, label: request.t(`update.kind.${k}`) })),
      outcomes: OUTCOMES.map((o) => ({ value: o, label: request.t(`case.${o}`) })),
      milestoneValues: {},
      milestoneErrors: {},
    }
  }
  const screenOf = (request: FastifyRequest) => screen(request, slugParam.parse(request.params).slug)

  app.get('/campaigns/:slug/updates', { ...organizer, schema: { params: slugParam } }, async (request, reply) => {
    const data = await screen(request, request.params.slug)
    return page(reply, 'campaigns/updates', { ...data, values: { kind: 'update', lang: data.campaign.locale } })
  })

  const post = {
    config: { ...organizer.config, ...consoleForm('campaigns/updates', screenOf) },
    schema: { params: slugParam, body: updateForm },
  }
  app.post('/campaigns/:slug/updates', post, async (request, reply) => {
    const { slug } = request.params
    const { step, ...input } = request.body
    // Emailing everyone is not undone: a notify is posted only from the preview's confirm button.
    if (step === 'preview' || (input.notify && step !== 'confirm')) {
      const data = await screen(request, slug)
      const lang = input.lang ?? (data.campaign.locale as Locale)
      const preview = timeline([{ ...input, id: '', lang, outcome: input.outcome ?? null, created_at: new Date() }])[0]
      return page(reply, 'campaigns/updates', { ...data, values: formValues(request), preview })
    }
    const { alertId } = await postUpdate(app.db, actorOf(request), slug, input)
    app.present.campaignPages.forget(slug)
    return reply.redirect(alertId ? `/admin/alerts/${alertId}` : `/admin/campaigns/${slug}/updates`, 303)
  })

  const milestone = {
    config: {
      ...organizer.config,
      ...consoleForm('campaigns/updates', async (request, errors) => ({
        ...(await screenOf(request)),
        milestoneValues: formValues(request),
        milestoneErrors: errors,
        errors: {},
        values: {},
      })),
    },
    schema: { params: slugParam, body: milestoneForm },
  }
  app.post('/campaigns/:slug/milestones', milestone, async (request, reply) => {
    const { slug } = request.params
    await setMilestone(app.db, actorOf(request), slug, request.body)
    return reply.redirect(`/admin/campaigns/${slug}/updates#milestones`, 303)
  })

  const remove = {
    config: { ...organizer.config, ...consoleForm('campaigns/updates', screenOf) },
    schema: { params: slugIdParams },
  }
  app.post('/campaigns/:slug/milestones/:id/remove', remove, async (request, reply) => {
    const { slug, id } = request.params
    await removeMilestone(app.db, actorOf(request), slug, id)
    return reply.redirect(`/admin/campaigns/${slug}/updates#milestones`, 303)
  })
}
