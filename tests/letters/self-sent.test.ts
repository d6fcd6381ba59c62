import { sql } from 'kysely'
import t from 'tap'
import { setup } from '../helper.ts'
import { letterCampaign } from './fixture.ts'

t.test('"I sent it myself" counts each press in one counter and stores nothing of who', async (t) => {
  const env = await setup(t, { workers: false })
  await letterCampaign(env, 'self-sent')
  await letterCampaign(env, 'other')
  for (const [i, from] of ['203.0.113.7', '203.0.113.7', '198.51.100.9'].entries()) {
    const res = await env.app.inject({
      method: 'POST',
      url: '/campaigns/self-sent/letter/sent',
      remoteAddress: from,
      payload: { website: '', rendered: '' },
    })
    t.equal(res.statusCode, 303, `press ${i + 1}`)
    t.equal(res.headers.location, '/campaigns/self-sent/letter/sent')
  }
  const thanks = await env.app.inject({ url: '/campaigns/self-sent/letter/sent?lang=ko' })
  t.equal(thanks.statusCode, 200)
  t.match(thanks.body, '편지를 써 주셔서 감사합니다')

  const rows = await env.db.selectFrom('campaign_letter_counts').select(['campaign_id', 'self_sent']).execute()
  t.equal(rows.length, 1, 'one row for the campaign, not one a press')
  t.equal(rows[0]!.self_sent, '3')
  const columns = await sql<{ column_name: string }>`select column_name from information_schema.columns
    where table_name = 'campaign_letter_counts' order by ordinal_position`.execute(env.db)
  t.same(
    columns.rows.map((r) => r.column_name),
    ['campaign_id', 'self_sent', 'updated_at'],
    'no column that could say who',
  )
  const dump = JSON.stringify(await env.db.selectFrom('audit_log').select(['action', 'detail']).execute())
  t.notMatch(dump, /203\.0\.113|198\.51\.100/, 'no address in the audit log')

  // The count shows within the page cache's moment.
  await new Promise((r) => setTimeout(r, 600))
  for (const url of ['/campaigns/self-sent', '/campaigns/self-sent/letter']) {
    const page = await env.app.inject({ url })
    t.match(page.body, /id="letters-self">Letters sent by supporters themselves: 3</, url)
  }
  t.match((await env.app.inject({ url: '/campaigns/other' })).body, /id="letters-self">[^<]*: 0</, 'per campaign')
})

t.test('a bot’s press is answered the same and not counted', async (t) => {
  const env = await setup(t, { workers: false })
  await letterCampaign(env, 'bots')
  const res = await env.app.inject({
    method: 'POST',
    url: '/campaigns/bots/letter/sent',
    payload: { website: 'http://spam.example', rendered: '' },
  })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, '/campaigns/bots/letter/sent')
  t.equal((await env.db.selectFrom('campaign_letter_counts').select('self_sent').execute()).length, 0)
})

t.test('presses are rate-limited like the other public forms', async (t) => {
  const env = await setup(t, { workers: false, env: { RATE_LIMIT_PER_MINUTE: '2' } })
  await letterCampaign(env, 'limited')
  const codes: number[] = []
  for (let i = 0; i < 4; i++) {
    const res = await env.app.inject({ method: 'POST', url: '/campaigns/limited/letter/sent', payload: {} })
    codes.push(res.statusCode)
  }
  t.same(codes, [303, 303, 429, 429])
  const row = await env.db.selectFrom('campaign_letter_counts').select('self_sent').executeTakeFirstOrThrow()
  t.equal(row.self_sent, '2')
})
