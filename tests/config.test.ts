import { spawnSync } from 'node:child_process'
import t from 'tap'
import { parseConfig } from '../src/config.ts'

/** A key as `openssl rand -hex 32` makes one. */
const KEY = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'

t.test('defaults follow the contract', async (t) => {
  const c = parseConfig({})
  t.equal(c.port, 3000)
  t.equal(c.host, '127.0.0.1')
  t.equal(c.publicUrl, 'http://localhost:3000')
  t.equal(c.databaseUrl, 'postgres://postgres@127.0.0.1:5432/urgent_action')
  t.equal(c.redisUrl, 'redis://127.0.0.1:6379')
  t.equal(c.smtpUrl, undefined)
  t.equal(c.mailFrom, 'Urgent Action <alerts@localhost>')
  t.notOk(c.devOutbox, '/dev/outbox only when asked for: `npm start` without NODE_ENV or SMTP_URL shows none')
  t.ok(Object.isFrozen(c))
  t.ok(c.formCountries.includes('KR') && c.formCountries.length < 40, 'a short list of countries for the form')
  t.same(parseConfig({ FORM_COUNTRIES: ' kr, jp ,' }).formCountries, ['KR', 'JP'])
})

t.test('a bad value is reported as one line naming the variable', async (t) => {
  t.throws(() => parseConfig({ PORT: 'eighty' }), { message: /^PORT: / })
  t.throws(() => parseConfig({ PUBLIC_URL: 'ftp://x' }), { message: /^PUBLIC_URL: / })
  t.throws(() => parseConfig({ PUBLIC_URL: 'not a url' }), { message: /^PUBLIC_URL: / })
  t.throws(() => parseConfig({ PUBLIC_URL: 'not a url', NODE_ENV: 'production', SECRET_KEY: KEY }), {
    message: /^PUBLIC_URL: /,
  })
  t.throws(() => parseConfig({ REDIS_URL: 'http://x' }), { message: /^REDIS_URL: / })
  t.throws(() => parseConfig({ NODE_ENV: 'production' }), { message: /^SECRET_KEY: is required/ })
  const production = { NODE_ENV: 'production', SECRET_KEY: KEY }
  t.throws(() => parseConfig({ ...production, PUBLIC_URL: 'http://act.example.org' }), {
    message: /^PUBLIC_URL: must be https:\/\/ when NODE_ENV=production/,
  })
  t.equal(parseConfig({ ...production, PUBLIC_URL: 'https://act.example.org' }).publicUrl, 'https://act.example.org')
  t.equal(
    parseConfig({ ...production, PUBLIC_URL: 'http://localhost:3000' }).publicUrl,
    'http://localhost:3000',
    'the compose demo on this machine',
  )
  t.equal(
    parseConfig({ PUBLIC_URL: 'http://act.example.org' }).publicUrl,
    'http://act.example.org',
    'development may use http',
  )
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

t.test('production refuses a SECRET_KEY anybody could guess, in one line naming it', async (t) => {
  const weak = [
    'CHANGE-ME-public-placeholder-not-a-secret-0000000000', // docker-compose.yml's, before issue 19
    'dev-only-secret-key-do-not-use-in-production-0000', // the dev key
    'change-me-change-me-change-me-change-me',
    'k'.repeat(40),
    'abababababababababababababababababababab',
    '0123012301230123012301230123012301230123',
  ]
  for (const key of weak) {
    const err = t.throws(() => parseConfig({ NODE_ENV: 'production', SECRET_KEY: key })) as unknown as Error
    t.match(err.message, /^SECRET_KEY: is a known placeholder or too predictable/, key)
    t.equal(err.message.split('\n').length, 1, `${key}: one line`)
    t.equal(parseConfig({ SECRET_KEY: key }).secretKey, key, `${key}: fine outside production`)
  }
  for (const key of [KEY, 'bench-only-secret-key-0123456789abcdefgh', 'Zk3+q9Vn0aR/7mWx1TeLp5Hs8JcYb2Ud4Gf6Ko+Ni0=']) {
    t.equal(parseConfig({ NODE_ENV: 'production', SECRET_KEY: key }).secretKey, key, key)
  }
})

t.test('/dev/outbox only when asked for, and never in production or with SMTP_URL', async (t) => {
  t.ok(parseConfig({ DEV_OUTBOX: 'true' }).devOutbox)
  t.notOk(parseConfig({ DEV_OUTBOX: 'true', SMTP_URL: 'smtp://127.0.0.1:1025' }).devOutbox)
  t.notOk(parseConfig({ DEV_OUTBOX: 'true', NODE_ENV: 'production', SECRET_KEY: KEY }).devOutbox)
  t.notOk(parseConfig({ SMTP_URL: 'smtp://127.0.0.1:1025' }).devOutbox)
  t.notOk(parseConfig({ NODE_ENV: 'production', SECRET_KEY: KEY }).devOutbox)
  t.equal(parseConfig({ NODE_ENV: 'production', SECRET_KEY: KEY }).viewCache, true)
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
    t.throws(
      () => parseConfig({ TRUST_PROXY: bad }),
      { message: /^TRUST_PROXY: must be false, a number of proxies/ },
      bad,
    )
  }
})

t.test('without PUBLIC_URL, links point where the server listens', async (t) => {
  t.equal(parseConfig({ PORT: '3555' }).publicUrl, 'http://localhost:3555', 'PORT=3555 npm run demo links to 3555')
  t.equal(parseConfig({ HOST: '0.0.0.0', PORT: '8080' }).publicUrl, 'http://localhost:8080')
  t.equal(parseConfig({ HOST: '::1', PORT: '8080' }).publicUrl, 'http://localhost:8080')
  t.equal(parseConfig({ HOST: '192.0.2.7', PORT: '80' }).publicUrl, 'http://192.0.2.7:80')
  t.equal(parseConfig({ HOST: '2001:db8::7', PORT: '3000' }).publicUrl, 'http://[2001:db8::7]:3000')
  t.equal(
    parseConfig({ HOST: 'act.example.org', PORT: '3000', PUBLIC_URL: 'https://act.example.org' }).publicUrl,
    'https://act.example.org',
    'a PUBLIC_URL given wins',
  )
})
