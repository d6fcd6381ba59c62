// The count flush folds a backlog of deltas in bounded statements, and two flushers at once
// count every delta exactly once.
import { sql } from 'kysely'
import t from 'tap'
import { flushCounts } from '../../src/modules/counts/service.ts'
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
  const folded = await Promise.all([flushCounts(env.db, 100), flushCounts(env.db, 100)])
  t.equal(folded[0]! + folded[1]!, 2500, 'between them, every delta folded once')
  const counts = await env.db.selectFrom('campaigns').select('signature_count').where('slug', 'in', slugs).orderBy('id').execute()
  t.same(counts.map((c) => Number(c.signature_count)), [1500, 1000])
  const left = await sql<{ n: number }>`select count(*)::int as n from signature_count_deltas`.execute(env.db)
  t.equal(left.rows[0]!.n, 0)
  t.equal(await flushCounts(env.db, 100), 0, 'nothing left: one empty statement')
})
