import t from 'tap'
import { clientNetwork } from '../../src/security.ts'
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
  t.notOk(
    keys.some((k) => k.includes('198.51.100')),
    'no IP in clear in Redis',
  )
})

t.test('behind TRUST_PROXY=1 a forged X-Forwarded-For does not escape the limit', async (t) => {
  const env = await setup(t, { workers: false, env: { TRUST_PROXY: '1', RATE_LIMIT_PER_MINUTE: '3' } })
  const slug = await liveCampaign(env)
  // The proxy appends the address it saw; everything to its left is what the client sent.
  const viaProxy = (xff: string) =>
    env.app.inject({
      method: 'POST',
      url: `/api/v1/campaigns/${slug}/signatures`,
      payload: signer,
      remoteAddress: '10.0.0.2',
      headers: { 'x-forwarded-for': xff },
    })
  const forged = () => `203.0.113.${Math.floor(Math.random() * 250)}, 198.51.100.7`
  for (let i = 0; i < 3; i++) t.equal((await viaProxy(forged())).statusCode, 202)
  const limited = await viaProxy(forged())
  t.equal(limited.statusCode, 429, 'the right-most address, set by the proxy, is the client')
  t.equal((await viaProxy('198.51.100.8')).statusCode, 202, 'another client behind the same proxy is not affected')
})

t.test('with TRUST_PROXY listing the proxy, only that proxy’s X-Forwarded-For is believed', async (t) => {
  const env = await setup(t, { workers: false, env: { TRUST_PROXY: '10.0.0.0/8', RATE_LIMIT_PER_MINUTE: '2' } })
  const slug = await liveCampaign(env)
  const sign = (remoteAddress: string, xff: string) =>
    env.app.inject({
      method: 'POST',
      url: `/api/v1/campaigns/${slug}/signatures`,
      payload: signer,
      remoteAddress,
      headers: { 'x-forwarded-for': xff },
    })
  for (let i = 0; i < 2; i++) t.equal((await sign('10.0.0.2', `203.0.113.${i}, 198.51.100.7`)).statusCode, 202)
  t.equal((await sign('10.0.0.3', '198.51.100.7')).statusCode, 429, 'the client is the first untrusted hop')
  for (let i = 0; i < 2; i++) t.equal((await sign('192.0.2.9', `198.51.100.${10 + i}`)).statusCode, 202)
  t.equal((await sign('192.0.2.9', '198.51.100.12')).statusCode, 429, 'a direct client cannot pose as others')
})

t.test('an IPv6 client rotating through its /64 is one client; the next /64 is another', async (t) => {
  const env = await setup(t, { workers: false, env: { RATE_LIMIT_PER_MINUTE: '3' } })
  const slug = await liveCampaign(env)
  const sign = (remoteAddress: string) =>
    env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: signer, remoteAddress })
  for (let i = 1; i <= 3; i++) t.equal((await sign(`2001:db8:1:2:${i}::${i}`)).statusCode, 202)
  t.equal((await sign('2001:db8:1:2:ffff:ffff:ffff:ffff')).statusCode, 429, 'a new address in the same /64')
  t.equal((await sign('2001:db8:1:3::1')).statusCode, 202, 'the neighbouring /64 is another customer')
  t.equal((await sign('::ffff:198.51.100.7')).statusCode, 202)
})

t.test('IPV6_PREFIX sets how much of an IPv6 address is one client', async (t) => {
  const env = await setup(t, { workers: false, env: { RATE_LIMIT_PER_MINUTE: '2', IPV6_PREFIX: '48' } })
  const slug = await liveCampaign(env)
  const sign = (remoteAddress: string) =>
    env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: signer, remoteAddress })
  t.equal((await sign('2001:db8:1:2::1')).statusCode, 202)
  t.equal((await sign('2001:db8:1:3::1')).statusCode, 202)
  t.equal((await sign('2001:db8:1:4::1')).statusCode, 429, 'a whole /48 is one client')
})

t.test('clientNetwork: IPv4 by address, IPv6 by prefix', async (t) => {
  t.equal(clientNetwork('198.51.100.7', 64), '198.51.100.7')
  t.equal(clientNetwork('::ffff:198.51.100.7', 64), '198.51.100.7', 'IPv4-mapped is IPv4')
  t.equal(clientNetwork('2001:db8:1:2:aaaa:bbbb:cccc:dddd', 64), '2001:db8:1:2::/64')
  t.equal(clientNetwork('2001:db8:1:2:aaaa:bbbb:cccc:dddd', 56), '2001:db8:1::/56')
  t.equal(clientNetwork('2001:db8:1:2ff::1', 60), '2001:db8:1:2f0::/60', 'a prefix inside a group')
  t.equal(clientNetwork('2001:db8::1', 128), '2001:db8::1/128')
  t.equal(clientNetwork('not-an-ip', 64), 'not-an-ip')
})
