import t from 'tap'
import { sql } from 'kysely'
import { campaignInput, loginAs, organizerAuth, setup } from '../helper.ts'

t.test('the API records create, launch and close with who, what, when and which object', async (t) => {
  const env = await setup(t, { workers: false })
  const headers = { authorization: await organizerAuth(env.db, 'api@example.org') }
  const created = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers,
    payload: { ...campaignInput, slug: 'audited' },
  })
  await env.app.inject({ method: 'POST', url: '/api/v1/campaigns/audited/launch', headers })
  await env.app.inject({ method: 'POST', url: '/api/v1/campaigns/audited/close', headers })
  t.equal(created.statusCode, 201)
  const failed = await env.app.inject({ method: 'POST', url: '/api/v1/campaigns/audited/close', headers })
  t.equal(failed.statusCode, 409)
  const actor = await env.db
    .selectFrom('organizers')
    .select('id')
    .where('email', '=', 'api@example.org')
    .executeTakeFirstOrThrow()
  const campaign = await env.db.selectFrom('campaigns').select('id').executeTakeFirstOrThrow()
  const rows = await env.db
    .selectFrom('audit_log')
    .select(['actor_id', 'via', 'action', 'object_type', 'object_id', 'at'])
    .orderBy('id')
    .execute()
  t.same(
    rows.map((r) => [r.actor_id, r.via, r.action, r.object_type, r.object_id]),
    [
      [actor.id, 'api', 'campaign.create', 'campaign', campaign.id],
      [actor.id, 'api', 'campaign.launch', 'campaign', campaign.id],
      [actor.id, 'api', 'campaign.close', 'campaign', campaign.id],
    ],
    'a refused change records nothing',
  )
  t.ok(rows.every((r) => r.at instanceof Date))
})

t.test('the audit log is append-only', async (t) => {
  const env = await setup(t, { workers: false })
  await loginAs(env, 'organizer') // a login and the first password change are recorded
  t.same(
    (await env.db.selectFrom('audit_log').select('action').orderBy('id').execute()).map((r) => r.action),
    ['session.login', 'account.password'],
  )
  await t.rejects(env.db.updateTable('audit_log').set({ action: 'nothing' }).execute(), /append-only/)
  await t.rejects(env.db.deleteFrom('audit_log').execute(), /append-only/)
  await t.rejects(sql`truncate audit_log`.execute(env.db), /append-only/)
  t.equal(
    (await env.db.selectFrom('audit_log').select('action').orderBy('id').executeTakeFirstOrThrow()).action,
    'session.login',
  )
})

t.test('admins read the log, filtered by action and paged', async (t) => {
  const env = await setup(t, { workers: false })
  const admin = await loginAs(env, 'admin')
  await admin.client.get('/admin/tokens')
  for (let i = 0; i < 30; i++) await admin.client.post('/admin/tokens')
  const page = await admin.client.get('/admin/audit?action=token.create')
  t.equal(page.statusCode, 200)
  t.match(page.body, /Filters: action token\.create\. 30 match\./)
  t.match(page.body, new RegExp(admin.email))
  t.notMatch(page.body, /ua_[\w-]{20,}/, 'no token in the log')
  const older = /href="(\/admin\/audit\?action=token\.create&amp;after=[\w-]+)" rel="next"/.exec(page.body)?.[1]
  const second = await admin.client.get(older!.replace('&amp;', '&'))
  t.equal((second.body.match(/<code>token\.create<\/code>/g) ?? []).length, 5, 'the five older ones')
})
