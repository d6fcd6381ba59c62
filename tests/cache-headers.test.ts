import t from 'tap'
import { liveCampaign, organizerAuth, setup } from './helper.ts'

t.test('the signatures CSV from the API is never stored by a cache', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  const res = await env.app.inject({
    url: `/api/v1/campaigns/${slug}/signatures.csv`,
    headers: { authorization: await organizerAuth(env.db) },
  })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['cache-control'], 'no-store')
})

t.test('the feed is public to caches only when the answer sets no cookie', async (t) => {
  const env = await setup(t, { workers: false })
  const plain = await env.app.inject({ url: '/reports.atom' })
  t.equal(plain.statusCode, 200)
  t.notOk(plain.headers['set-cookie'])
  t.equal(plain.headers['cache-control'], 'public, max-age=300', 'feed readers and proxies may keep it')
  const chosen = await env.app.inject({ url: '/reports.atom?lang=ko' })
  t.equal(chosen.statusCode, 200)
  t.match(String(chosen.headers['set-cookie']), /^lang=ko;/)
  t.equal(chosen.headers['cache-control'], 'private, max-age=300', 'a shared cache must not hand the cookie to others')
})
