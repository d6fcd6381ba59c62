// What a newcomer does after `npm run demo`: sign the demo petition asking for alerts, confirm
// through /dev/outbox, publish a report, and see the alert email there. Against the real
// process, as started by `npm run demo`.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { systemActor } from '../../src/modules/audit/service.ts'
import { createApiToken } from '../../src/modules/organizers/service.ts'
import { DEMO_ORGANIZER } from '../../src/modules/demo/organizer.ts'
import { createTestDb, eventually, REDIS_URL, sleep, uniqueName } from '../helper.ts'
import { freePort } from '../fault/private-redis.ts'

t.test('npm run demo: sign with alerts, confirm, publish a report, read the alert in /dev/outbox', async (t) => {
  const { db, url } = await createTestDb(t)
  const port = await freePort()
  const outboxDir = mkdtempSync(path.join(tmpdir(), 'ua-demo-outbox-'))
  t.teardown(() => rmSync(outboxDir, { recursive: true, force: true }))
  const base = `http://127.0.0.1:${port}`
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/demo.ts', '--with-workers'], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      REDIS_URL,
      PORT: String(port),
      PUBLIC_URL: base,
      SMTP_URL: '',
      NODE_ENV: 'development',
      OUTBOX_DIR: outboxDir,
      QUEUE_PREFIX: uniqueName('uademo'),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  t.teardown(() => child.kill('SIGKILL'))
  let out = ''
  child.stdout.on('data', (c) => (out += c))
  child.stderr.on('data', (c) => (out += c))
  await eventually(
    async () =>
      fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      ),
    60_000,
    'the demo to listen',
  )
  t.match(out, /The petition: +http:\/\/127\.0\.0\.1:\d+\/campaigns\/stop-forced-returns-north-korean-refugees/)
  t.match(out, new RegExp(`${DEMO_ORGANIZER} / \\S+`), 'the console login is printed')
  const account = await db
    .selectFrom('organizers')
    .select('password_must_change')
    .where('email', '=', DEMO_ORGANIZER)
    .executeTakeFirstOrThrow()
  t.equal(account.password_must_change, false, 'the printed password opens the console without a change first')

  // As a browser does: the form from the page, with its signed render time, sent after FORM_MIN_SECONDS.
  const page = await (await fetch(`${base}/campaigns/stop-forced-returns-north-korean-refugees`)).text()
  const rendered = /name="rendered" value="([^"]+)"/.exec(page)?.[1]
  t.ok(rendered, 'the form carries its render time')
  await sleep(3100)
  const form = new URLSearchParams({
    name: '이수진',
    email: 'newcomer@example.org',
    country: 'KR',
    alerts: 'on',
    website: '',
    rendered: rendered!,
  })
  const signed = await fetch(`${base}/campaigns/stop-forced-returns-north-korean-refugees`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  })
  t.equal(signed.status, 303)

  const outboxLinks = async (pattern: RegExp) => {
    const list = await (await fetch(`${base}/dev/outbox`)).text()
    return [...list.matchAll(/href="(\/dev\/outbox\/[^"]+)">([^<]*)</g)]
      .filter((m) => pattern.test(m[2]!))
      .map((m) => m[1]!)
  }
  const [confirmEmail] = await eventually(
    async () => {
      const found = await outboxLinks(/Confirm your signature/)
      return found.length ? found : undefined
    },
    15_000,
    'the confirmation email',
  )
  const emailPage = await (await fetch(`${base}${confirmEmail}`)).text()
  const confirmUrl = /<a href="(http:\/\/127\.0\.0\.1:\d+\/confirm\/[\w.-]+(?:\?lang=\w+)?)">/.exec(emailPage)![1]!
  t.match(await (await fetch(confirmUrl)).text(), /Confirm my signature/, 'the link opens a page with a button')
  t.match(await (await fetch(confirmUrl, { method: 'POST' })).text(), /your signature counts/)

  const token = await createApiToken(db, systemActor('cli'), DEMO_ORGANIZER)
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  const report = await (
    await fetch(`${base}/api/v1/reports`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        occurredOn: '2021-07-20',
        place: { name: 'Tumen', province: 'Jilin', country: 'CN' },
        peopleCount: 12,
        kind: 'transfer',
        summary: 'A test report from the demo walk-through.',
        confidence: 'unverified',
        campaign: 'stop-forced-returns-north-korean-refugees',
      }),
    })
  ).json()
  const published = await fetch(`${base}/api/v1/reports/${report.id}/publish`, {
    method: 'POST',
    headers: { authorization: headers.authorization },
  })
  t.equal(published.status, 202)
  const started = Date.now()
  const [alertEmail] = await eventually(
    async () => {
      const found = await outboxLinks(/Transfer: 12 people in Tumen/)
      return found.length ? found : undefined
    },
    60_000,
    'the alert email',
  )
  t.ok(Date.now() - started < 60_000, 'the alert arrives within a minute')
  const alert = await (await fetch(`${base}${alertEmail}`)).text()
  t.match(alert, /List-Unsubscribe-Post: List-Unsubscribe=One-Click/)
  t.match(alert, /A test report from the demo walk-through\./)
})
