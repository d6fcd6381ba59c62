// A statement that runs too long, here one waiting on a lock, is cancelled by Postgres after
// DB_STATEMENT_TIMEOUT_MS and answered as a 503 that says to come back; migrations, which may
// rewrite a large table or wait for another process's, run without that limit.
import { sql } from 'kysely'
import pg from 'pg'
import t from 'tap'
import { buildApp } from '../../src/app.ts'
import { parseConfig } from '../../src/config.ts'
import { createDb } from '../../src/db/index.ts'
import { prepareDatabase } from '../../src/runtime.ts'
import { BASE_DATABASE_URL, createTestDb, REDIS_URL, sleep, uniqueName } from '../helper.ts'

/** Kysely's migration lock (its PostgresAdapter), taken as another process migrating would. */
const MIGRATION_LOCK = '3853314791062309107'

async function client(url: string) {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  return c
}

t.test('migrations wait past the timeout; then every statement has it', async (t) => {
  const name = uniqueName('ua_test')
  const admin = new URL(BASE_DATABASE_URL)
  admin.pathname = '/postgres'
  const url = new URL(BASE_DATABASE_URL)
  url.pathname = `/${name}`
  t.teardown(async () => {
    const c = await client(admin.toString())
    await c.query(`drop database if exists ${name} with (force)`)
    await c.end()
  })
  const config = parseConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url.toString(),
    REDIS_URL,
    QUEUE_PREFIX: uniqueName('uatest'),
    LOG_LEVEL: 'silent',
    DB_STATEMENT_TIMEOUT_MS: '300',
  })

  // Another process is migrating (prepareDatabase creates the database first; so do we, to lock it).
  const creator = await client(admin.toString())
  await creator.query(`create database ${name}`)
  await creator.end()
  // A default on the database, as a provider may set one: migrations must not take it.
  const setter = await client(admin.toString())
  await setter.query(`alter database ${name} set statement_timeout = '200ms'`)
  await setter.end()
  const other = await client(url.toString())
  other.on('error', () => {}) // the teardown's drop ends it if this test fails first
  await other.query(`select pg_advisory_lock(${MIGRATION_LOCK})`)
  const started = Date.now()
  const release = setTimeout(() => {
    other.query(`select pg_advisory_unlock(${MIGRATION_LOCK})`).catch(() => {})
  }, 1500)
  let db
  try {
    db = await prepareDatabase(config)
  } finally {
    clearTimeout(release)
    await other.end()
  }
  t.teardown(() => db.destroy())
  t.ok(Date.now() - started >= 1400, 'it waited for the other migration, five times the statement timeout')
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(db)
  t.ok(rows[0]!.n > 0, 'and then migrated')

  const settings = await sql<{ statement: string; idle: string }>`
    select current_setting('statement_timeout') as statement, current_setting('idle_in_transaction_session_timeout') as idle`.execute(
    db,
  )
  t.same(settings.rows[0], { statement: '300ms', idle: '1min' })

  t.test(
    'a request whose query waits too long on a lock is a 503 with Retry-After, and the next one works',
    async (t) => {
      const app = await buildApp({ config, db })
      t.teardown(() => app.close())
      const locker = await client(url.toString())
      t.teardown(() => locker.end())
      await locker.query('begin')
      await locker.query('lock table campaigns in access exclusive mode')

      const api = await app.inject({ url: '/api/v1/campaigns' })
      t.equal(api.statusCode, 503)
      t.equal(api.headers['retry-after'], '5')
      t.equal(api.json().error, 'unavailable')
      const page = await app.inject({ url: '/campaigns/any-campaign', headers: { 'accept-language': 'ko' } })
      t.equal(page.statusCode, 503)
      t.match(page.headers['content-type'], /text\/html/)
      t.equal(page.headers['retry-after'], '5')

      await locker.query('rollback')
      const after = await app.inject({ url: '/api/v1/campaigns' })
      t.equal(after.statusCode, 200)
      t.same(after.json(), { campaigns: [] })
    },
  )
})

t.test('a transaction left idle is ended by Postgres; the process and the pool live on', async (t) => {
  const { url } = await createTestDb(t)
  const reported: string[] = []
  const idle = createDb(url, { idleInTransactionMs: 300, max: 1, onPoolError: (err) => reported.push(err.message) })
  t.teardown(() => idle.destroy())
  const failed = await idle
    .transaction()
    .execute(async (trx) => {
      await sql`select 1`.execute(trx)
      await sleep(1000) // Postgres ends the session meanwhile: its client emits 'error'
      await sql`select 1`.execute(trx)
    })
    .then(
      () => undefined,
      (err: Error) => err,
    )
  t.match(
    failed?.message,
    /idle-in-transaction|not queryable|Connection terminated/,
    'the transaction fails at its next statement',
  )
  t.match(reported, [/idle-in-transaction timeout/], 'the cause is reported once, not lost behind "not queryable"')
  const { rows } = await sql<{ one: number }>`select 1 as one`.execute(idle)
  t.same(rows, [{ one: 1 }], 'the pool opens a new connection')
})

t.test('a limit of 0 is no limit, whatever default the database has', async (t) => {
  const { db: owner, url } = await createTestDb(t)
  await sql.raw(`alter database ${new URL(url).pathname.slice(1)} set statement_timeout = '200ms'`).execute(owner)
  const db = createDb(url, { max: 1, idleInTransactionMs: 0 }) // its sessions start after the default is set
  t.teardown(() => db.destroy())
  const { rows } = await sql<{ statement: string; idle: string }>`
    select current_setting('statement_timeout') as statement, current_setting('idle_in_transaction_session_timeout') as idle`.execute(
    db,
  )
  t.same(rows[0], { statement: '0', idle: '0' })
})
