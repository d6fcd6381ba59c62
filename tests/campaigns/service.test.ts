import t from 'tap'
import { maintenanceJobs } from '../../src/jobs/index.ts'
import { systemActor } from '../../src/modules/audit/service.ts'
import { closeCampaign, createCampaign, launchCampaign, updateCampaign } from '../../src/modules/campaigns/service.ts'
import { campaignInput, eventually, liveCampaign, openQueue, setup } from '../helper.ts'

t.test("the ticker's close of an expired campaign is audited under the system actor", async (t) => {
  const env = await setup(t)
  const slug = await liveCampaign(env, { deadline: '2099-01-01' })
  await env.db
    .updateTable('campaigns')
    .set({ deadline: new Date(Date.now() - 1000) })
    .execute()
  const queue = openQueue(t, env, 'maintenance')
  await queue.add(maintenanceJobs.closeExpired, {})
  await eventually(
    async () => (await env.db.selectFrom('campaigns').select('status').executeTakeFirstOrThrow()).status === 'closed',
    10_000,
    'the worker to close the campaign',
  )
  const rows = await env.db
    .selectFrom('audit_log')
    .select(['actor_id', 'via', 'system_actor', 'action', 'detail'])
    .where('action', '=', 'campaign.close')
    .execute()
  t.same(
    rows.map((r) => [r.actor_id, r.via, r.system_actor, r.action, (r.detail as { slug: string }).slug]),
    [[null, 'system', 'ticker', 'campaign.close', slug]],
  )
})

t.test('the audit log refuses a system row without a name, or an organizer row without an organizer', async (t) => {
  const env = await setup(t, { workers: false })
  const row = { action: 'x', object_type: 'campaign', detail: '{}' }
  await t.rejects(
    env.db
      .insertInto('audit_log')
      .values({ ...row, via: 'system' })
      .execute(),
    /audit_log_system_actor/,
  )
  await t.rejects(
    env.db
      .insertInto('audit_log')
      .values({ ...row, via: 'api' })
      .execute(),
    /audit_log_system_actor/,
  )
})

t.test('a closed campaign whose deadline passed can still have its texts corrected', async (t) => {
  const env = await setup(t, { workers: false })
  const demo = systemActor('demo')
  const created = await createCampaign(env.db, demo, {
    ...campaignInput,
    slug: 'old',
    deadline: new Date('2099-01-01'),
  })
  await launchCampaign(env.db, demo, 'old')
  await closeCampaign(env.db, demo, 'old')
  const passed = new Date(Date.now() - 1000)
  await env.db.updateTable('campaigns').set({ deadline: passed }).execute()
  const edit = {
    title: 'Corrected',
    summary: created.summary,
    body: created.body,
    target: created.target,
    asks: created.asks,
    goal: created.goal,
    locale: created.locale,
  }
  const row = await updateCampaign(env.db, demo, 'old', { ...edit, deadline: passed })
  t.equal(row.title, 'Corrected', 'an unchanged deadline is not checked again')
  await t.rejects(updateCampaign(env.db, demo, 'old', { ...edit, deadline: new Date(Date.now() - 5000) }), {
    code: 'invalid_input',
    fields: { deadline: /deadline/i }, // the field is named, whatever form its message takes
  })
  const actions = (await env.db.selectFrom('audit_log').select(['action', 'system_actor']).orderBy('id').execute()).map(
    (r) => `${r.action}:${r.system_actor}`,
  )
  t.same(actions, ['campaign.create:demo', 'campaign.launch:demo', 'campaign.close:demo', 'campaign.update:demo'])
})
