import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { eventually, liveCampaign, setup, signer } from '../helper.ts'

t.test('without SMTP_URL emails are .eml files, listed and readable at /dev/outbox', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ua-outbox-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const env = await setup(t, { env: { SMTP_URL: '', OUTBOX_DIR: dir, NODE_ENV: 'development', DEV_OUTBOX: 'true' } })
  t.ok(env.config.devOutbox)
  const slug = await liveCampaign(env)
  await env.app.inject({
    method: 'POST',
    url: `/api/v1/campaigns/${slug}/signatures`,
    payload: { ...signer, name: '<b>Kim</b>' },
  })
  const files = await eventually(async () => {
    const found = readdirSync(dir).filter((f) => f.endsWith('.eml'))
    return found.length ? found : undefined
  })
  t.equal(files.length, 1)

  // It shows every confirm and invitation link: to this machine only.
  for (const remoteAddress of ['203.0.113.9', '2001:db8::9', '10.0.0.2']) {
    t.equal((await env.app.inject({ url: '/dev/outbox', remoteAddress })).statusCode, 404, `not to ${remoteAddress}`)
    t.equal((await env.app.inject({ url: `/dev/outbox/${files[0]}`, remoteAddress })).statusCode, 404)
  }
  const list = await env.app.inject({ url: '/dev/outbox' })
  t.equal(list.statusCode, 200)
  t.match(list.body, /Confirm your signature/)
  t.match(list.body, `href="/dev/outbox/${files[0]}"`)

  const one = await env.app.inject({ url: `/dev/outbox/${files[0]}` })
  t.equal(one.statusCode, 200)
  t.match(one.body, /<a href="http:\/\/ua\.test\/confirm\/[\w.-]+\?lang=en">/, 'the confirm link is clickable')
  t.match(one.body, /Message-ID: &lt;[\w-]{24}@ua\.test&gt;/)
  t.notMatch(one.body, /<b>Kim<\/b>/)

  t.equal((await env.app.inject({ url: '/dev/outbox/..%2F..%2Fetc%2Fpasswd' })).statusCode, 404)
  t.equal((await env.app.inject({ url: '/dev/outbox/missing.eml' })).statusCode, 404)
})

t.test('/dev/outbox believes no forwarded address: behind TRUST_PROXY it answers nobody', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ua-outbox-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const env = await setup(t, {
    workers: false,
    env: { SMTP_URL: '', OUTBOX_DIR: dir, NODE_ENV: 'development', DEV_OUTBOX: 'true', TRUST_PROXY: '1' },
  })
  const forged = await env.app.inject({
    url: '/dev/outbox',
    remoteAddress: '127.0.0.1',
    headers: { 'x-forwarded-for': '127.0.0.1' },
  })
  t.equal(forged.statusCode, 404, 'a proxy on this machine makes every client look local')
})

t.test('/dev/outbox is not mounted when SMTP_URL is set', async (t) => {
  const env = await setup(t, { workers: false })
  t.equal((await env.app.inject({ url: '/dev/outbox' })).statusCode, 404)
})

t.test('/dev/outbox is not mounted in production', async (t) => {
  const env = await setup(t, {
    workers: false,
    env: {
      SMTP_URL: '',
      NODE_ENV: 'production',
      DEV_OUTBOX: 'true',
      SECRET_KEY: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      PUBLIC_URL: 'https://ua.test',
    },
  })
  t.equal((await env.app.inject({ url: '/dev/outbox' })).statusCode, 404)
})

t.test('/dev/outbox is not mounted unless asked for (npm start without SMTP_URL)', async (t) => {
  const env = await setup(t, { workers: false, env: { SMTP_URL: '', NODE_ENV: 'development' } })
  t.equal((await env.app.inject({ url: '/dev/outbox' })).statusCode, 404)
})
