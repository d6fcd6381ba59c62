import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { promisify } from 'node:util'
import t from 'tap'
import { systemActor } from '../../src/modules/audit/service.ts'
import { loadDemo } from '../../src/modules/demo/service.ts'
import { purgeStale } from '../../src/modules/retention/service.ts'
import { createTestDb, liveCampaign, setup, type TestEnv } from '../helper.ts'

const run = promisify(execFile)

const systemRows = (env: { db: TestEnv['db'] }) =>
  env.db
    .selectFrom('audit_log')
    .select(['actor_id', 'via', 'system_actor', 'action', 'object_type'])
    .orderBy('id')
    .execute()

t.test('organizer:create and token:create are audited as the CLI', async (t) => {
  const { db, url } = await createTestDb(t)
  const cli = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' },
      timeout: 60_000,
    })
  await cli('organizer:create', '--email', 'op@example.org', '--name', 'Op', '--role', 'admin')
  await cli('token:create', '--email', 'op@example.org')
  t.same(await systemRows({ db }), [
    { actor_id: null, via: 'system', system_actor: 'cli', action: 'organizer.create', object_type: 'organizer' },
    { actor_id: null, via: 'system', system_actor: 'cli', action: 'token.create', object_type: 'api_token' },
  ])
})

t.test('demo:load creates and launches its campaign as the demo, once', async (t) => {
  const env = await setup(t, { workers: false })
  await loadDemo(env.db)
  await loadDemo(env.db)
  t.same(
    (await systemRows(env)).map((r) => [r.via, r.system_actor, r.action]),
    [
      ['system', 'demo', 'campaign.create'],
      ['system', 'demo', 'campaign.launch'],
      ['system', 'demo', 'target.create'],
      ['system', 'demo', 'target.create'],
      ['system', 'demo', 'target.create'],
      ['system', 'demo', 'target.create'],
      ['system', 'demo', 'campaign.update'], // its targets
      ['system', 'demo', 'campaign.update'], // its letter
      ['system', 'demo', 'campaign.milestone.set'], // its prepared update at the goal
    ],
  )
})

t.test('the retention purge records what it deleted, and nothing when it deleted nothing', async (t) => {
  const env = await setup(t, { workers: false })
  const retention = systemActor('retention')
  t.equal((await purgeStale(env.db, retention, env.config)).signatures, 0)
  t.same(await systemRows(env), [], 'an idle purge leaves no row')

  const slug = await liveCampaign(env)
  const campaign = await env.db.selectFrom('campaigns').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()
  await env.db
    .insertInto('signatures')
    .values({
      campaign_id: campaign.id,
      name: 'Pending',
      email: 'old@example.org',
      email_key: 'old@example.org',
      country: 'KR',
      public_name: false,
      wants_alerts: false,
      locale: 'en',
      status: 'pending',
      confirm_nonce: randomBytes(16),
      confirm_expires_at: new Date(Date.now() - 30 * 86_400_000),
      ip_hash: randomBytes(32),
    })
    .execute()
  t.equal((await purgeStale(env.db, retention, env.config)).signatures, 1)
  const rows = await env.db
    .selectFrom('audit_log')
    .select(['via', 'system_actor', 'action', 'detail'])
    .where('action', '=', 'retention.purge')
    .execute()
  t.equal(rows.length, 1)
  t.match(rows[0], {
    via: 'system',
    system_actor: 'retention',
    detail: { retentionDays: 7, signatures: 1 },
  })
})
