import { Readable } from 'node:stream'
import t from 'tap'
import { eventually, setup, sleep, type TestEnv } from '../helper.ts'
import { activeSubscriber, linkIn, mailsTo } from '../alerts/helpers.ts'
import * as repo from '../../src/modules/subscribers/repository.ts'
import { importSubscribers } from '../../src/modules/subscribers/import.ts'
import { AppError } from '../../src/errors.ts'

const fromText = (text: string | Buffer) => Readable.from([Buffer.from(text)])

const subscribers = (env: TestEnv) =>
  env.db.selectFrom('subscribers').select(['email', 'status', 'locale']).orderBy('email').execute()
const confirmRows = async (env: TestEnv) =>
  Number(
    (
      await env.db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('kind', '=', 'subscriber.confirm')
        .executeTakeFirstOrThrow()
    ).n,
  )

t.test(
  'bad rows are reported by line number and the good ones imported: BOM, CRLF, quotes, a 10 MB line, a formula',
  async (t) => {
    const env = await setup(t, { workers: false })
    const tenMb = 'x'.repeat(10 * 1024 * 1024)
    const text = [
      '\uFEFFName,E-Mail,Language', // 1: the header, behind a BOM; the address column is not the first
      'Kim,kim@example.org,ko', // 2
      'Broken,"broken@example.org,en', // 3: a quote never closed
      'Wang,wang@example.org,zh-Hans', // 4: the next line still reads
      `Long,${tenMb}@example.org,en`, // 5: 10 MB
      'Formula,=HYPERLINK("http://evil")@example.org,en', // 6: not an address
      'Nobody,not-an-address,en', // 7
      '', // 8: empty lines are not rows
      'Lee,"lee@example.org",=cmd|calc', // 9: a formula as the language: the default one
      'Kim again,KIM@Example.org,en', // 10: the same address as line 2
    ].join('\r\n')
    const summary = await importSubscribers(env.db, env.config, fromText(text))
    t.same(summary, {
      lines: 10,
      imported: 3,
      alreadyThere: 0,
      repeated: 1,
      suppressed: 0,
      invalid: 4,
      invalidLines: [
        { line: 3, reason: 'quoting' },
        { line: 5, reason: 'too-long' },
        { line: 6, reason: 'address' },
        { line: 7, reason: 'address' },
      ],
    })
    t.same(
      (await subscribers(env)).map((s) => [s.email, s.status, s.locale]),
      [
        ['kim@example.org', 'pending', 'ko'],
        ['lee@example.org', 'pending', 'en'],
        ['wang@example.org', 'pending', 'zh'],
      ],
      'pending, in the language each row gave',
    )
    t.equal(await confirmRows(env), 3, 'one confirmation queued per new address')
  },
)

t.test('the first column holds the addresses when there is no header; a header without one is refused', async (t) => {
  const env = await setup(t, { workers: false })
  const plain = await importSubscribers(env.db, env.config, fromText('a@example.org\nb@example.org\n'), {
    locale: 'ko',
  })
  t.equal(plain.imported, 2)
  t.same(
    (await subscribers(env)).map((s) => s.locale),
    ['ko', 'ko'],
    'the language asked for rows that give none',
  )
  const refused = await importSubscribers(env.db, env.config, fromText('name,phone\nKim,010\nc@example.org,1\n')).catch(
    (e: unknown) => e,
  )
  t.ok(refused instanceof AppError)
  t.same((refused as AppError).fields, { file: 'error.import.noEmailColumn' })
  const empty = await importSubscribers(env.db, env.config, fromText('')).catch((e: unknown) => e)
  t.same((empty as AppError).fields, { file: 'error.import.empty' })
  t.equal((await subscribers(env)).length, 2, 'nothing written by the refused files')
})

t.test('known and suppressed addresses are left alone and sent nothing', async (t) => {
  const env = await setup(t)
  await activeSubscriber(env, 'active@example.org')
  await activeSubscriber(env, 'gone@example.org')
  const gone = await env.db
    .selectFrom('subscribers')
    .select('id')
    .where('email', '=', 'gone@example.org')
    .executeTakeFirstOrThrow()
  await repo.update(env.db, gone.id, { status: 'unsubscribed' })
  await repo.suppress(env.db, env.config.secretKey, 'gone@example.org', 'unsubscribed')
  // A bounce whose subscriber was erased since: only the address's hash is kept.
  await repo.suppress(env.db, env.config.secretKey, 'bounced@example.org', 'bounced')
  const before = env.smtp.messages.length
  const summary = await importSubscribers(
    env.db,
    env.config,
    fromText('email\nactive@example.org\ngone@example.org\nbounced@example.org\nnew@example.org\n'),
  )
  t.same([summary.imported, summary.alreadyThere, summary.suppressed], [1, 1, 2])
  await eventually(async () => mailsTo(env, 'new@example.org').length === 1)
  await sleep(500)
  t.equal(env.smtp.messages.length, before + 1, 'only the new address was written to')
  t.same(
    (await subscribers(env)).map((s) => [s.email, s.status]),
    [
      ['active@example.org', 'active'],
      ['gone@example.org', 'unsubscribed'],
      ['new@example.org', 'pending'],
    ],
    'an unsubscribe is not undone by an import, nor a bounce',
  )
})

t.test('double opt-in: one confirmation per new address, pending until its link is used', async (t) => {
  const env = await setup(t)
  const text = ['email,locale', 'ann@example.org,en', 'Ann@Example.org,en', 'bo@example.org,ko', 'ann@example.org,zh']
  const summary = await importSubscribers(env.db, env.config, fromText(text.join('\n')))
  t.same([summary.imported, summary.repeated], [2, 2])
  await eventually(async () => env.smtp.messages.length >= 2)
  await sleep(500)
  t.equal(mailsTo(env, 'ann@example.org').length, 1, 'one email however often the address appears')
  t.equal(mailsTo(env, 'bo@example.org').length, 1)
  t.match(mailsTo(env, 'bo@example.org')[0]!.parsed.subject, /[가-힣]/, 'in the row’s language')
  t.same(
    (await subscribers(env)).map((s) => s.status),
    ['pending', 'pending'],
  )
  const path = linkIn(env, 'ann@example.org', '/alerts/confirm/')
  await env.app.inject({ method: 'POST', url: path })
  t.same(
    (await subscribers(env)).map((s) => [s.email, s.status]),
    [
      ['ann@example.org', 'active'],
      ['bo@example.org', 'pending'],
    ],
  )

  const again = await importSubscribers(env.db, env.config, fromText(text.join('\n')))
  t.same([again.imported, again.alreadyThere], [0, 2], 'a second run of the same file adds nothing')
  await sleep(500)
  t.equal(env.smtp.messages.length, 2, 'and sends nothing')
})
