// docs/nginx.conf, run by a real nginx in front of two web processes: pages and signing go
// through it, the app's own compression passes, the rest is compressed by nginx, a forged
// X-Forwarded-For does not become the client's network, and a web process killed outright is
// stepped over by the next requests.
import { spawn, type ChildProcess } from 'node:child_process'
import t from 'tap'
import { parseConfig } from '../../src/config.ts'
import { DEMO_SLUG, loadDemo } from '../../src/modules/demo/service.ts'
import { hashClient } from '../../src/security.ts'
import { freePort } from '../fault/private-redis.ts'
import { createTestDb, eventually, REDIS_URL, uniqueName } from '../helper.ts'
import { startNginx } from './nginx-server.ts'

const SECRET_KEY = 'nginx-test-secret-key-0123456789abcdef'

async function startWeb(t: { teardown(fn: () => unknown): void }, env: Record<string, string>) {
  const port = await freePort()
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: 'ignore',
  })
  t.teardown(() => child.kill('SIGKILL'))
  await eventually(
    () =>
      fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      ),
    60_000,
    'a web process to listen',
  )
  return { port, child }
}

t.test('two web processes behind docs/nginx.conf', async (t) => {
  const { db, url } = await createTestDb(t)
  await loadDemo(db)
  const env = {
    DATABASE_URL: url,
    REDIS_URL,
    QUEUE_PREFIX: uniqueName('uanginx'),
    SECRET_KEY,
    TRUST_PROXY: 'true',
    PUBLIC_URL: 'http://ua.test',
    LOG_LEVEL: 'warn',
    FORM_MIN_SECONDS: '0',
  }
  const webs = [await startWeb(t, env), await startWeb(t, env)]
  const nginx = await startNginx(webs.map((w) => w.port))
  t.teardown(() => nginx.stop())

  const page = await fetch(`${nginx.url}/campaigns/${DEMO_SLUG}?lang=ko`, { headers: { 'accept-encoding': 'br' } })
  t.equal(page.status, 200)
  t.equal(page.headers.get('content-encoding'), 'br', "the campaign page's own Brotli bytes pass through")
  t.match(await page.text(), '<html lang="ko">')

  const json = await fetch(`${nginx.url}/api/v1/campaigns/${DEMO_SLUG}`, { headers: { 'accept-encoding': 'gzip' } })
  t.equal(json.status, 200)
  t.equal(json.headers.get('content-encoding'), 'gzip', 'nginx compresses what the app leaves plain')
  t.match(await json.json(), { slug: DEMO_SLUG })

  const sign = (email: string, headers: Record<string, string> = {}) =>
    fetch(`${nginx.url}/api/v1/campaigns/${DEMO_SLUG}/signatures`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ name: 'Through nginx', email, country: 'KR' }),
    })
  const forged = await sign('forged@example.org', { 'x-forwarded-for': '203.0.113.9' })
  t.equal(forged.status, 202)
  const row = await db
    .selectFrom('signatures')
    .select('ip_hash')
    .where('email', '=', 'forged@example.org')
    .executeTakeFirstOrThrow()
  const config = parseConfig({ SECRET_KEY })
  t.same(row.ip_hash, hashClient(config, '127.0.0.1'), 'the network is the one nginx saw')
  t.notSame(row.ip_hash, hashClient(config, '203.0.113.9'), 'not the one the client wrote')

  // One web process dies outright: nginx steps over it, and nothing answers 502.
  webs[0]!.child.kill('SIGKILL')
  await new Promise((r) => webs[0]!.child.once('exit', r))
  const statuses: number[] = []
  for (let i = 0; i < 20; i++) {
    const res = await (i % 2 ? sign(`after-kill-${i}@example.org`) : fetch(`${nginx.url}/campaigns/${DEMO_SLUG}`))
    await res.arrayBuffer()
    statuses.push(res.status)
  }
  t.same(
    statuses,
    statuses.map((_, i) => (i % 2 ? 202 : 200)),
    'pages and signatures keep working on the other process',
  )
  const stored = await db
    .selectFrom('signatures')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('email', 'like', 'after-kill-%')
    .executeTakeFirstOrThrow()
  t.equal(Number(stored.n), 10, 'every accepted signature is stored')

  webs[1]!.child.kill('SIGKILL')
  await new Promise((r) => webs[1]!.child.once('exit', r))
  const none = await fetch(`${nginx.url}/campaigns/${DEMO_SLUG}`)
  t.equal(none.status, 502, 'with no web process left, nginx says so')
})
