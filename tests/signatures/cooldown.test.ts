import t from 'tap'
import { liveCampaign, setup, signer, sleep } from '../helper.ts'

t.test('repeats within the cooldown answer the same and send no more email', async (t) => {
  const env = await setup(t, { env: { EMAIL_COOLDOWN_SECONDS: '600' } })
  const slug = await liveCampaign(env)
  const answers = []
  for (let i = 0; i < 3; i++) {
    answers.push((await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: signer })).body)
    answers.push((await env.app.inject({ method: 'POST', url: '/api/v1/subscribers', payload: { email: 'inbox@example.org' } })).body)
  }
  t.equal(new Set(answers).size, 1, 'one answer for all')
  await env.smtp.waitFor(2)
  await sleep(1000)
  t.equal(env.smtp.messages.length, 2, 'one email per address and purpose, not six')
  t.same(env.smtp.messages.map((m) => m.envelopeTo[0]!.toLowerCase()).sort(), ['inbox@example.org', 'minji.kim@example.org'])
})
