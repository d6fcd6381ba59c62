import t from 'tap'
import { liveCampaign, setup, signer } from '../helper.ts'

t.test('public writes are limited per client, with the contract 429, and keyed by a hash of the IP', async (t) => {
  const env = await setup(t, { workers: false, env: { RATE_LIMIT_PER_MINUTE: '3' } })
  const slug = await liveCampaign(env)
  const sign = (remoteAddress: string) =>
    env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: signer, remoteAddress })
  for (let i = 0; i < 3; i++) t.equal((await sign('198.51.100.7')).statusCode, 202)
  const limited = await sign('198.51.100.7')
  t.equal(limited.statusCode, 429)
  t.equal(limited.json().error, 'rate_limited')
  t.equal((await sign('198.51.100.8')).statusCode, 202, 'another client is not affected')
  const page = await env.app.inject({
    method: 'POST',
    url: '/alerts',
    remoteAddress: '198.51.100.9',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'email=a%40example.org',
  })
  t.equal(page.statusCode, 200)
  const keys = await env.app.redis.keys(`${env.config.queuePrefix}:rl:*`)
  t.ok(keys.length >= 2)
  t.notOk(keys.some((k) => k.includes('198.51.100')), 'no IP in clear in Redis')
})
