import pg from 'pg'
import t from 'tap'
import { lockForRepeat } from '../../src/modules/signatures/repository.ts'
import { liveCampaign, setup, signer, sleep } from '../helper.ts'

t.test('repeats within the cooldown answer the same and send no more email', async (t) => {
  const env = await setup(t, { env: { EMAIL_COOLDOWN_SECONDS: '600' } })
  const slug = await liveCampaign(env)
  const answers = []
  for (let i = 0; i < 3; i++) {
    answers.push(
      (await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: signer })).body,
    )
    answers.push(
      (await env.app.inject({ method: 'POST', url: '/api/v1/subscribers', payload: { email: 'inbox@example.org' } }))
        .body,
    )
  }
  t.equal(new Set(answers).size, 1, 'one answer for all')
  await env.smtp.waitFor(2)
  await sleep(1000)
  t.equal(env.smtp.messages.length, 2, 'one email per address and purpose, not six')
  t.same(env.smtp.messages.map((m) => m.envelopeTo[0]!.toLowerCase()).sort(), [
    'inbox@example.org',
    'minji.kim@example.org',
  ])
})

t.test('with no cooldown, a decision that waited on the row while another emailed still emails', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: signer })
  const { id } = await env.db.selectFrom('signatures').select('id').executeTakeFirstOrThrow()
  // The first decision holds the row; the second starts, and waits for it.
  const first = new pg.Client({ connectionString: env.config.databaseUrl })
  await first.connect()
  t.teardown(() => first.end())
  await first.query('begin')
  await first.query('select id from signatures where id = $1 for update', [id])
  const second = env.db.transaction().execute((trx) => lockForRepeat(trx, id, 0))
  await sleep(200)
  // The first emails, stamping a time after the second's transaction began, and commits.
  await first.query('update signatures set last_emailed_at = clock_timestamp() where id = $1', [id])
  await first.query('commit')
  t.equal((await second)?.recently_emailed, false, 'no cooldown: the second repeat gets its email too')
})
