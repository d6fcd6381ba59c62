import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readdir } from 'node:fs/promises'
import { connect } from 'node:net'
import { sql } from 'kysely'
import pg from 'pg'
import t from 'tap'
import { createTestDb, eventually, REDIS_URL, sleep, uniqueName } from '../helper.ts'
import { freePort } from '../fault/private-redis.ts'
import { DEMO_SLUG, loadDemo } from '../../src/modules/demo/service.ts'

async function startServer(databaseUrl: string, port: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts', '--with-workers'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      PORT: String(port),
      QUEUE_PREFIX: uniqueName('uaproc'),
      OUTBOX_DIR: `/tmp/${uniqueName('ua-outbox')}`,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (c) => (output += c))
  child.stderr.on('data', (c) => (output += c))
  await eventually(
    async () =>
      fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      ),
    60_000,
    'server to listen',
  )
  return { child, output: () => output }
}

t.test('replicas starting together migrate once, under the advisory lock', async (t) => {
  const { db, url } = await createTestDb(t)
  // Back to an empty database, whatever the migrations have added since.
  await sql`drop schema public cascade`.execute(db)
  await sql`create schema public`.execute(db)
  const [a, b] = await Promise.all([freePort(), freePort()])
  const servers = await Promise.all([startServer(url, a), startServer(url, b)])
  t.teardown(() => servers.forEach((s) => s.child.kill('SIGKILL')))
  const applied = await db
    .selectFrom('kysely_migration' as never)
    .select('name' as never)
    .execute()
  const files = (await readdir(new URL('../../migrations', import.meta.url))).filter((f) => f.endsWith('.ts'))
  t.equal(applied.length, files.length, 'each migration recorded once')
  for (const port of [a, b]) {
    t.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200)
  }
})

t.test('SIGTERM drains the request in flight, then exits 0', async (t) => {
  const { url } = await createTestDb(t)
  const port = await freePort()
  const { child, output } = await startServer(url, port)
  t.teardown(() => child.kill('SIGKILL'))
  // A request whose body is still arriving when the signal comes: it is in flight.
  const body = 'name=A&email=a%40example.org&country=KR'
  const socket = connect(port, '127.0.0.1')
  await once(socket, 'connect')
  let response = ''
  socket.on('data', (c) => (response += c.toString()))
  socket.write(
    `POST /campaigns/none HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
      `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 5)}`,
  )
  await new Promise((r) => setTimeout(r, 300))
  child.kill('SIGTERM')
  await new Promise((r) => setTimeout(r, 300))
  socket.write(body.slice(5))
  const closed = once(socket, 'close')
  const [code] = await once(child, 'exit')
  await closed
  t.equal(code, 0, output())
  t.match(response, /^HTTP\/1\.1 404 /, 'the request in flight got its real answer, not a 503')
  t.match(output(), /"signal":"SIGTERM"/)
})

t.test('SIGTERM with keep-alive requests in flight: each gets its answer, then the process exits 0', async (t) => {
  const { db, url } = await createTestDb(t)
  await loadDemo(db)
  const port = await freePort()
  const { child, output } = await startServer(url, port)
  t.teardown(() => child.kill('SIGKILL'))
  // A lock that blocks every insert into signatures holds the requests in flight.
  const lock = new pg.Client({ connectionString: url })
  await lock.connect()
  t.teardown(() => lock.end())
  await lock.query('begin')
  await lock.query('lock table signatures in share mode')
  const answers = ['a', 'b', 'c'].map((who) =>
    fetch(`http://127.0.0.1:${port}/api/v1/campaigns/${DEMO_SLUG}/signatures`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' }, // and keep-alive, as fetch does by default
      body: JSON.stringify({ name: who, email: `${who}@example.org`, country: 'KR' }),
    }).then((r) => r.status),
  )
  // Asked outside the lock's transaction: inside it, pg_stat_activity is read once and kept.
  // Only this database's waiters count: other test files run beside this one.
  const waiting = async () =>
    (
      await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and query like '%note_signature%'`.execute(db)
    ).rows[0]!.n
  await eventually(async () => (await waiting()) === 3, 30_000, 'the three inserts to wait on the lock')
  // And a connection that has not sent a request yet, as a browser's preconnect leaves.
  const preconnect = connect(port, '127.0.0.1')
  await once(preconnect, 'connect')
  const preconnectClosed = once(preconnect, 'close')
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  await sleep(300)
  t.equal(child.exitCode, null, 'the server waits for its requests')
  await lock.query('commit')
  t.same(await Promise.all(answers), [202, 202, 202], 'each request in flight got its real answer')
  // Their connections stay open after the answers (keep-alive); the server must close them
  // itself rather than wait out the keep-alive timeout, past the shutdown's grace (exit 1).
  const [code] = await exited
  t.equal(code, 0, output())
  await preconnectClosed
  t.equal((await db.selectFrom('signatures').select(db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n, '3')
})
