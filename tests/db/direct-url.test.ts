// Behind a pooler in transaction mode, DATABASE_URL is the pooler's and DATABASE_DIRECT_URL is
// Postgres itself: the migration (a session-level advisory lock across statements) goes there,
// everything else to DATABASE_URL. Two databases stand in for the two routes, so each is seen.
import { sql } from 'kysely'
import pg from 'pg'
import t from 'tap'
import { parseConfig } from '../../src/config.ts'
import { prepareDatabase } from '../../src/runtime.ts'
import { BASE_DATABASE_URL, REDIS_URL, uniqueName } from '../helper.ts'

const withName = (name: string) => {
  const url = new URL(BASE_DATABASE_URL)
  url.pathname = `/${name}`
  return url.toString()
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: withName('postgres') })
  await c.connect()
  try {
    return await fn(c)
  } finally {
    await c.end()
  }
}

t.test('DATABASE_DIRECT_URL is DATABASE_URL unless set, and a postgres URL', async (t) => {
  t.equal(parseConfig({ DATABASE_URL: 'postgres://a@db/x' }).databaseDirectUrl, 'postgres://a@db/x')
  t.equal(
    parseConfig({ DATABASE_URL: 'postgres://a@pooler:6432/x', DATABASE_DIRECT_URL: 'postgres://a@db:5432/x' })
      .databaseDirectUrl,
    'postgres://a@db:5432/x',
  )
  t.throws(() => parseConfig({ DATABASE_DIRECT_URL: 'mysql://db/x' }), { message: /^DATABASE_DIRECT_URL: / })
})

t.test('the migration runs on DATABASE_DIRECT_URL, the pool on DATABASE_URL', async (t) => {
  const pooled = uniqueName('ua_test')
  const direct = uniqueName('ua_test')
  t.teardown(() =>
    admin(async (c) => {
      await c.query(`drop database if exists ${pooled} with (force)`)
      await c.query(`drop database if exists ${direct} with (force)`)
    }),
  )
  await admin((c) => c.query(`create database ${pooled}`))
  const db = await prepareDatabase(
    parseConfig({
      NODE_ENV: 'test',
      DATABASE_URL: withName(pooled),
      DATABASE_DIRECT_URL: withName(direct),
      REDIS_URL,
      LOG_LEVEL: 'silent',
    }),
  )
  t.teardown(() => db.destroy())
  const { rows } = await sql<{ db: string }>`select current_database() as db`.execute(db)
  t.equal(rows[0]!.db, pooled, 'the pool is DATABASE_URL')
  const migrated = async (name: string) => {
    const c = new pg.Client({ connectionString: withName(name) })
    await c.connect()
    try {
      const { rows } = await c.query<{ t: string | null }>(`select to_regclass('kysely_migration')::text as t`)
      return rows[0]!.t !== null
    } finally {
      await c.end()
    }
  }
  t.ok(await migrated(direct), 'the direct database was created and migrated')
  t.notOk(await migrated(pooled), 'nothing migrated through DATABASE_URL')
})
