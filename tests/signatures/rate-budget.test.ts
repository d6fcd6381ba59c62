// The mail bomb of issue 19: RATE_LIMIT_PER_MINUTE is one budget for every route that sends email.
import t from 'tap'
import { liveCampaign, setup } from '../helper.ts'
import { routes } from './mail-bomb.ts'

t.test('one client has one budget across every route that sends email', async (t) => {
  const env = await setup(t, { workers: false, env: { RATE_LIMIT_PER_MINUTE: '5' } })
  const slug = await liveCampaign(env)
  const r = routes(env, slug)
  const all = [r.signApi, r.signForm, r.subscribeApi, r.subscribeForm, r.erase]
  const statuses = []
  for (let i = 0; i < all.length; i++) statuses.push((await all[i]!(`victim+${i}@corp.example`)).statusCode)
  t.same(statuses, [202, 303, 202, 200, 200], 'five requests, one on each route')
  for (const route of all) {
    const res = await route('victim+late@corp.example')
    t.equal(res.statusCode, 429, 'the sixth, on any route, is refused')
  }
  const api = await r.signApi('victim+x@corp.example')
  t.equal(api.json().error, 'rate_limited', 'the contract 429')
  t.ok(Number(api.headers['retry-after']) > 0, 'says when to come back')
  const elsewhere = await env.app.inject({
    method: 'POST',
    url: '/api/v1/subscribers',
    payload: { email: 'someone@example.org' },
    remoteAddress: '198.51.100.67',
  })
  t.equal(elsewhere.statusCode, 202, 'another client has its own budget')
})
