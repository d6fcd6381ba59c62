import pg from 'pg'
import t from 'tap'
import { ensureDatabase } from '../../src/db/index.ts'
import { BASE_DATABASE_URL, uniqueName } from '../helper.ts'

t.test('processes starting together on a missing database all start', async (t) => {
  const name = uniqueName('ua_ensure')
  const admin = new URL(BASE_DATABASE_URL)
  admin.pathname = '/postgres'
  t.teardown(async () => {
    const c = new pg.Client({ connectionString: admin.toString() })
    await c.connect()
    await c.query(`drop database if exists ${name} with (force)`)
    await c.end()
  })
  const url = new URL(BASE_DATABASE_URL)
  url.pathname = `/${name}`
  // Each lost race is 42P04 (duplicate_database) or 23505 (unique_violation on pg_database).
  const results = await Promise.allSettled(Array.from({ length: 5 }, () => ensureDatabase(url.toString())))
  t.same(
    results.filter((r) => r.status === 'rejected').map((r) => (r.reason as { code?: string }).code),
    [],
    'no process fails',
  )
  const c = new pg.Client({ connectionString: url.toString() })
  await c.connect()
  t.equal((await c.query('select current_database() as name')).rows[0].name, name)
  await c.end()
})
