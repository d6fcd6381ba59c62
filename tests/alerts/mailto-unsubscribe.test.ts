// The mailto: half of List-Unsubscribe: the message a mail client sends from an alert's header,
// piped into `npm run cli -- mail:unsubscribe` as a mail server would.
import { spawn } from 'node:child_process'
import { sql } from 'kysely'
import t from 'tap'
import { unsubscribeTokenIn } from '../../src/modules/subscribers/mailto.ts'
import { type TestEnv, setup } from '../helper.ts'
import { activeSubscriber, jilinReport, mailsTo, publish, rawHeader, settled } from './helpers.ts'

function pipeToCli(
  env: TestEnv,
  message: string,
  databaseUrl = env.config.databaseUrl,
  extraEnv: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { SECRET_KEY: _, ...inherited } = process.env
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'mail:unsubscribe'], {
    env: { ...inherited, NODE_ENV: 'test', DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', ...extraEnv },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  child.stdin.end(message)
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
}

const messageWith = (subject: string, body = 'This message was sent by a mail client.') =>
  `Return-Path: <reader@example.org>\r\nFrom: Reader <reader@example.org>\r\nTo: alerts@localhost\r\nSubject: ${subject}\r\n` +
  `Message-ID: <m1@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`

t.test("the message an alert's mailto: link writes unsubscribes its reader", async (t) => {
  const env = await setup(t)
  await activeSubscriber(env, 'reader@example.org')
  await activeSubscriber(env, 'stays@example.org')
  const first = await publish(env)
  await settled(env, first.alertId, first.headers)
  const mail = mailsTo(env, 'reader@example.org').at(-1)!
  const mailto = /<mailto:([^?>]+)\?subject=([^>]+)>/.exec(rawHeader(mail, 'List-Unsubscribe') ?? '')
  t.ok(mailto, 'the header has a mailto: link')
  const subject = decodeURIComponent(mailto![2]!)

  const tampered = await pipeToCli(env, messageWith(subject.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))))
  t.equal(tampered.code, 65, 'a tampered token is bounced')
  t.match(tampered.stderr, /not valid/)
  const none = await pipeToCli(env, messageWith('Thank you for the alerts', `unsubscribe ${subject.split(' ')[1]}`))
  t.equal(none.code, 65, 'a token in the body is not read')
  t.match(none.stderr, /no unsubscribe token/)
  t.equal(
    (
      await env.db
        .selectFrom('subscribers')
        .select('status')
        .where('email', '=', 'reader@example.org')
        .executeTakeFirstOrThrow()
    ).status,
    'active',
  )

  const away = await pipeToCli(env, messageWith(subject), 'postgres://postgres@127.0.0.1:1/nowhere')
  t.equal(away.code, 75, 'the database away: the mail server keeps the message and tries again')
  t.match(away.stderr, /cannot be reached; try again later/)

  // The subscribers table locked longer than the statement timeout (a migration, say): same.
  const locked = await env.db.connection().execute(async (conn) => {
    await sql`begin`.execute(conn)
    await sql`lock table subscribers in access exclusive mode`.execute(conn)
    try {
      return await pipeToCli(env, messageWith(subject), env.config.databaseUrl, { DB_STATEMENT_TIMEOUT_MS: '300' })
    } finally {
      await sql`rollback`.execute(conn)
    }
  })
  t.equal(locked.code, 75, 'a lock held too long: the mail server tries again later')
  t.match(locked.stderr, /statement timeout; try again later/)

  const done = await pipeToCli(env, messageWith(subject))
  t.equal(done.code, 0, done.stderr)
  t.equal(done.stdout.trim(), 'unsubscribed')
  t.equal(
    (
      await env.db
        .selectFrom('subscribers')
        .select('status')
        .where('email', '=', 'reader@example.org')
        .executeTakeFirstOrThrow()
    ).status,
    'unsubscribed',
  )
  t.equal((await pipeToCli(env, messageWith(subject))).code, 0, 'a second message changes nothing and is not bounced')

  const second = await publish(env, { ...jilinReport, occurredOn: '2021-07-20' })
  t.match(
    await settled(env, second.alertId, second.headers),
    { recipients: 1, sent: 1 },
    'the next alert goes to the other subscriber only',
  )
})

t.test('the token is read from the Subject only, as a mail client writes it', async (t) => {
  const token = 'AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBw'
  t.equal(unsubscribeTokenIn(messageWith(`unsubscribe ${token}`)), token)
  t.equal(unsubscribeTokenIn(messageWith(`Re: Unsubscribe ${token}`)), token, 'a reply prefix and another case')
  t.equal(
    unsubscribeTokenIn(`From: a@b.org\nSubject: unsubscribe\n ${token}\n\nbody`),
    token,
    'a folded header, LF line ends',
  )
  t.equal(
    unsubscribeTokenIn(`From a@b.org Sat Nov 28 19:00:00 2026\nSubject: unsubscribe ${token}\n\n`),
    token,
    'an mbox From_ line in front',
  )
  t.equal(unsubscribeTokenIn(messageWith('hello', `Subject: unsubscribe ${token}`)), undefined, 'not from the body')
  t.equal(unsubscribeTokenIn(messageWith(`unsubscribe ${token}x`)), undefined, 'not a longer word')
  t.equal(unsubscribeTokenIn(messageWith(`resubscribe ${token}`)), undefined)
  t.equal(unsubscribeTokenIn('no header at all'), undefined)
})
