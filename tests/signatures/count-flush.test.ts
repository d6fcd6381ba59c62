// The count flush folds a backlog of deltas in bounded statements, one flusher at a time, and
// every delta exactly once however many flushers run.
import { sql } from 'kysely'
import t from 'tap'
import { FLUSH_LOCK, flushCounts } from '../../src/modules/counts/service.ts'
import { liveCampaign, setup } from '../helper.ts'

t.test('a backlog is folded in batches, each delta once, with two flushers at once', async (t) => {
  const env = await setup(t, { workers: false })
  const slugs = [await liveCampaign(env), await liveCampaign(env)]
  const ids = await env.db.selectFrom('campaigns').select('id').where('slug', 'in', slugs).orderBy('id').execute()
  // 2,500 confirmations waiting for the flush, as after the workers were down: 1,500 and 1,000.
  for (const [i, { id }] of ids.entries()) {
    await sql`insert into signature_count_deltas (campaign_id, delta)
      select ${id}, 1 from generate_series(1, ${i === 0 ? 1500 : 1000}::int)`.execute(env.db)
  }
  // Each DELETE statement on the deltas, and how many rows it removed.
  await sql`create table flush_log (rows int)`.execute(env.db)
  await sql`create function log_flush() returns trigger language plpgsql as $$
    begin insert into flush_log select count(*) from drained; return null; end $$`.execute(env.db)
  await sql`create trigger log_flush after delete on signature_count_deltas
    referencing old table as drained for each statement execute function log_flush()`.execute(env.db)

  const folded = await Promise.all([flushCounts(env.db, 100, 100), flushCounts(env.db, 100, 100)])
  t.equal(folded[0] + folded[1], 2500, 'between them, every delta folded once')
  const counts = await env.db
    .selectFrom('campaigns')
    .select('signature_count')
    .where('slug', 'in', slugs)
    .orderBy('id')
    .execute()
  t.same(
    counts.map((c) => Number(c.signature_count)),
    [1500, 1000],
  )
  const left = await sql<{ n: number }>`select count(*)::int as n from signature_count_deltas`.execute(env.db)
  t.equal(left.rows[0]!.n, 0)
  const statements = (await sql<{ rows: number }>`select rows from flush_log`.execute(env.db)).rows.map((r) => r.rows)
  t.ok(statements.length >= 25, `in at least 25 statements (${statements.length})`)
  t.ok(
    statements.every((n) => n <= 100),
    'none folded more than its batch',
  )
  t.equal(await flushCounts(env.db, 100), 0, 'nothing left: one empty statement')
})

t.test('one call folds at most its number of batches; the next tick goes on', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  const { id } = await env.db.selectFrom('campaigns').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()
  await sql`insert into signature_count_deltas (campaign_id, delta) select ${id}, 1 from generate_series(1, 250)`.execute(
    env.db,
  )
  t.equal(await flushCounts(env.db, 100, 2), 200, 'two batches of 100')
  t.equal(await flushCounts(env.db, 100, 2), 50, 'then the rest')
})

t.test('a flusher that finds another at work leaves the backlog to it', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  const { id } = await env.db.selectFrom('campaigns').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()
  await sql`insert into signature_count_deltas (campaign_id, delta) select ${id}, 1 from generate_series(1, 10)`.execute(
    env.db,
  )
  await env.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${FLUSH_LOCK})`.execute(trx) // held by another flusher
    t.equal(await flushCounts(env.db, 100), 0, 'it folds nothing')
  })
  t.equal(await flushCounts(env.db, 100), 10, 'the next turn folds it all')
})
