// At ten times the load Postgres sits behind a pooler in transaction mode (PgBouncer): each
// transaction, or statement outside one, may run on a different server session. Nothing of ours
// may rely on session state across statements; migrations and the workers' LISTEN go to Postgres
// itself (DATABASE_DIRECT_URL). Here the app and the workers run through a real PgBouncer with
// fewer server connections than clients, and a supporter signs and confirms, the count moves, and
// a published report reaches a subscriber.
import { spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import os from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import t from 'tap'
import { activeSubscriber, mailsTo, publish } from '../alerts/helpers.ts'
import { confirmPath, eventually, liveCampaign, setup, signer, sleep } from '../helper.ts'
import { freePort } from '../fault/private-redis.ts'

const PGBOUNCER = '/usr/sbin/pgbouncer'
if (!existsSync(PGBOUNCER)) {
  throw new Error(`${PGBOUNCER} not found; install it with: apt-get install -y pgbouncer`)
}

/** PgBouncer in transaction mode in front of the server of `directUrl`, for the test's life. */
async function startPgBouncer(tt: { teardown(fn: () => unknown): void }, directUrl: string): Promise<string> {
  const dir = mkdtempSync(join(os.tmpdir(), 'ua-pgbouncer-'))
  chmodSync(dir, 0o777) // it refuses to run as root, so it runs as nobody and writes here
  const port = await freePort()
  const server = new URL(directUrl)
  writeFileSync(join(dir, 'users.txt'), `"${decodeURIComponent(server.username) || 'postgres'}" ""\n`)
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${server.hostname} port=${server.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${dir}/users.txt`,
      'admin_users = postgres',
      'pool_mode = transaction',
      // Fewer server sessions than the app's and workers' clients: sessions are shared for real.
      'default_pool_size = 4',
      'max_client_conn = 500',
      // Our pools send timeouts as a startup option, which PgBouncer cannot keep per client: set
      // them on the role or database instead (docs/operations.md).
      'ignore_startup_parameters = options',
      `logfile = ${dir}/pgbouncer.log`,
      '',
    ].join('\n'),
  )
  const args = [join(dir, 'pgbouncer.ini')]
  if (process.getuid?.() === 0) args.unshift('-u', 'nobody')
  const child = spawn(PGBOUNCER, args, { stdio: 'ignore' })
  tt.teardown(async () => {
    child.kill('SIGINT')
    await new Promise((r) => child.once('exit', r)).catch(() => {})
    rmSync(dir, { recursive: true, force: true })
  })
  await eventually(
    () =>
      new Promise<boolean>((resolve) => {
        const s = connect(port, '127.0.0.1')
        s.once('connect', () => (s.destroy(), resolve(true)))
        s.once('error', () => resolve(false))
      }),
    10_000,
    'PgBouncer to listen',
  )
  const pooled = new URL(directUrl)
  pooled.port = String(port)
  return pooled.toString()
}

t.test('signing, confirming, counting and an alert all work through PgBouncer in transaction mode', async (t) => {
  let pooledUrl = ''
  const env = await setup(t, {
    pooled: async (direct) => (pooledUrl = await startPgBouncer(t, direct)),
  })
  t.not(env.config.databaseUrl, env.config.databaseDirectUrl, 'the app goes through the pooler')

  // PgBouncer says it pools by transaction, and the app's statements arrive through it.
  const admin = new URL(pooledUrl)
  admin.pathname = '/pgbouncer'
  const bouncer = new pg.Client({ connectionString: admin.toString() })
  await bouncer.connect()
  t.teardown(() => bouncer.end())
  const dbName = new URL(pooledUrl).pathname.slice(1)

  const slug = await liveCampaign(env, { goal: 10 })
  const signed = await env.app.inject({
    method: 'POST',
    url: `/api/v1/campaigns/${slug}/signatures`,
    payload: signer,
  })
  t.equal(signed.statusCode, 202)
  const [mail] = await env.smtp.waitFor(1)
  const confirmed = await env.app.inject({ method: 'POST', url: confirmPath(mail!) })
  t.equal(confirmed.statusCode, 200)
  await eventually(
    async () => {
      const res = await env.app.inject({ url: `/api/v1/campaigns/${slug}` })
      return res.json<{ signatureCount: number }>().signatureCount === 1
    },
    10_000,
    'the count to reach 1',
  )
  t.pass('the confirmed signature is counted')

  await activeSubscriber(env, 'reader@example.org')
  await publish(env)
  await eventually(async () => mailsTo(env, 'reader@example.org').length === 2, 15_000, 'the alert email')
  t.pass('the published report reached the subscriber')

  await sleep(100)
  const { rows } = await bouncer.query<{ database: string; pool_mode: string }>('show pools')
  const pool = rows.find((r) => r.database === dbName)
  t.equal(pool?.pool_mode, 'transaction', 'PgBouncer pooled the test database by transaction')
  const { rows: stats } = await bouncer.query<{ database: string; total_xact_count: string }>('show stats')
  const served = Number(stats.find((r) => r.database === dbName)?.total_xact_count ?? 0)
  t.ok(served > 50, `${served} transactions went through PgBouncer`)
})
