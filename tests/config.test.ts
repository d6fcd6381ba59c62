import { spawnSync } from 'node:child_process'
import t from 'tap'
import { parseConfig } from '../src/config.ts'

t.test('defaults follow the contract', async (t) => {
  const c = parseConfig({})
  t.equal(c.port, 3000)
  t.equal(c.host, '127.0.0.1')
  t.equal(c.publicUrl, 'http://localhost:3000')
  t.equal(c.databaseUrl, 'postgres://postgres@127.0.0.1:5432/urgent_action')
  t.equal(c.redisUrl, 'redis://127.0.0.1:6379')
  t.equal(c.smtpUrl, undefined)
  t.equal(c.mailFrom, 'Urgent Action <alerts@localhost>')
  t.ok(c.devOutbox, '/dev/outbox without SMTP_URL in development')
  t.ok(Object.isFrozen(c))
  t.ok(c.formCountries.includes('KR') && c.formCountries.length < 40, 'a short list of countries for the form')
  t.same(parseConfig({ FORM_COUNTRIES: ' kr, jp ,' }).formCountries, ['KR', 'JP'])
})

t.test('a bad value is reported as one line naming the variable', async (t) => {
  t.throws(() => parseConfig({ PORT: 'eighty' }), { message: /^PORT: / })
  t.throws(() => parseConfig({ PUBLIC_URL: 'ftp://x' }), { message: /^PUBLIC_URL: / })
  t.throws(() => parseConfig({ PUBLIC_URL: 'not a url' }), { message: /^PUBLIC_URL: / })
  t.throws(() => parseConfig({ PUBLIC_URL: 'not a url', NODE_ENV: 'production', SECRET_KEY: 'k'.repeat(40) }), { message: /^PUBLIC_URL: / })
  t.throws(() => parseConfig({ REDIS_URL: 'http://x' }), { message: /^REDIS_URL: / })
  t.throws(() => parseConfig({ NODE_ENV: 'production' }), { message: /^SECRET_KEY: is required/ })
  const production = { NODE_ENV: 'production', SECRET_KEY: 'k'.repeat(40) }
  t.throws(() => parseConfig({ ...production, PUBLIC_URL: 'http://act.example.org' }), { message: /^PUBLIC_URL: must be https:\/\/ when NODE_ENV=production/ })
  t.equal(parseConfig({ ...production, PUBLIC_URL: 'https://act.example.org' }).publicUrl, 'https://act.example.org')
  t.equal(parseConfig({ ...production, PUBLIC_URL: 'http://localhost:3000' }).publicUrl, 'http://localhost:3000', 'the compose demo on this machine')
  t.equal(parseConfig({ PUBLIC_URL: 'http://act.example.org' }).publicUrl, 'http://act.example.org', 'development may use http')
  t.throws(() => parseConfig({ SECRET_KEY: 'short' }), { message: /^SECRET_KEY: / })
  t.throws(() => parseConfig({ FORM_COUNTRIES: 'KR,XX' }), { message: /^FORM_COUNTRIES: .*ISO 3166-1/ })
  for (const bad of ['not-an-address', 'Urgent Action', 'Urgent Action <alerts>', 'a@b <c@d', '@example.org']) {
    t.throws(() => parseConfig({ MAIL_FROM: bad }), { message: /^MAIL_FROM: must be an address/ }, bad)
  }
  for (const good of ['alerts@example.org', 'Urgent Action <alerts@localhost>', '긴급 행동 <alerts@example.org>']) {
    t.equal(parseConfig({ MAIL_FROM: good }).mailFrom, good)
  }
  const two = t.throws(() => parseConfig({ PORT: '-1', SMTP_URL: 'nope' })) as unknown as Error
  t.equal(two.message.split('\n').length, 2)
})

t.test('/dev/outbox is never mounted in production or with SMTP_URL', async (t) => {
  t.notOk(parseConfig({ SMTP_URL: 'smtp://127.0.0.1:1025' }).devOutbox)
  t.notOk(parseConfig({ NODE_ENV: 'production', SECRET_KEY: 'k'.repeat(40) }).devOutbox)
  t.equal(parseConfig({ NODE_ENV: 'production', SECRET_KEY: 'k'.repeat(40) }).viewCache, true)
})

t.test('a process with a bad variable stops with one clear line', async (t) => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, PORT: 'eighty' },
    encoding: 'utf8',
    timeout: 30_000,
  })
  t.equal(run.status, 1)
  t.equal(run.stderr.trim(), 'config: PORT: Invalid input: expected number, received NaN')
})

t.test('TRUST_PROXY is off, a number of proxies (true is one), or the proxies’ addresses', async (t) => {
  t.equal(parseConfig({}).trustProxy, false)
  t.equal(parseConfig({ TRUST_PROXY: 'false' }).trustProxy, false)
  t.equal(parseConfig({ TRUST_PROXY: 'true' }).trustProxy, 1, 'true trusts the one proxy in front, not every hop')
  t.equal(parseConfig({ TRUST_PROXY: '2' }).trustProxy, 2)
  t.same(parseConfig({ TRUST_PROXY: '10.0.0.0/8, 192.0.2.1,::1' }).trustProxy, ['10.0.0.0/8', '192.0.2.1', '::1'])
  for (const bad of ['maybe', '-1', '1.5', '10.0.0.0/33', '10.0.0.1,proxy.local', 'fd00::/0']) {
    t.throws(() => parseConfig({ TRUST_PROXY: bad }), { message: /^TRUST_PROXY: must be false, a number of proxies/ }, bad)
  }
})
