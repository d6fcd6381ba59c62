import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { eventually, liveCampaign, setup, signer } from '../helper.ts'

t.test('without SMTP_URL emails are .eml files, listed and readable at /dev/outbox', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ua-outbox-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const env = await setup(t, { env: { SMTP_URL: '', OUTBOX_DIR: dir, NODE_ENV: 'development' } })
  t.ok(env.config.devOutbox)
  const slug = await liveCampaign(env)
  await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: { ...signer, name: '<b>Kim</b>' } })
  const files = await eventually(async () => {
    const found = readdirSync(dir).filter((f) => f.endsWith('.eml'))
    return found.length ? found : undefined
  })
  t.equal(files!.length, 1)

  const list = await env.app.inject({ url: '/dev/outbox' })
  t.equal(list.statusCode, 200)
  t.match(list.body, /Confirm your signature/)
  t.match(list.body, `href="/dev/outbox/${files![0]}"`)

  const one = await env.app.inject({ url: `/dev/outbox/${files![0]}` })
  t.equal(one.statusCode, 200)
  t.match(one.body, /<a href="http:\/\/ua\.test\/confirm\/[\w.-]+">/, 'the confirm link is clickable')
  t.match(one.body, /Message-ID: &lt;signature\.confirm\.\d+@ua\.test&gt;/)
  t.notMatch(one.body, /<b>Kim<\/b>/)

  t.equal((await env.app.inject({ url: '/dev/outbox/..%2F..%2Fetc%2Fpasswd' })).statusCode, 404)
  t.equal((await env.app.inject({ url: '/dev/outbox/missing.eml' })).statusCode, 404)
})

t.test('/dev/outbox is not mounted when SMTP_URL is set', async (t) => {
  const env = await setup(t, { workers: false })
  t.equal((await env.app.inject({ url: '/dev/outbox' })).statusCode, 404)
})

t.test('/dev/outbox is not mounted in production', async (t) => {
  const env = await setup(t, { workers: false, env: { SMTP_URL: '', NODE_ENV: 'production', SECRET_KEY: 's'.repeat(40), PUBLIC_URL: 'https://ua.test' } })
  t.equal((await env.app.inject({ url: '/dev/outbox' })).statusCode, 404)
})
