// One email to many (an alert, an update): its MIME is built once per batch and each copy swaps in
// its recipient's parts (src/mail/prepared.ts). A copy must be byte for byte what nodemailer builds
// for that recipient; anything a copy cannot carry as the samples did (a header that would need
// encoding or could add a line, an address nodemailer rewrites, another subject) is built in full.
import { randomBytes } from 'node:crypto'
import nodemailer from 'nodemailer'
import t from 'tap'
import type { Locale } from '../../src/db/types.ts'
import { prepareMail } from '../../src/mail/prepared.ts'
import { createMailer, type OutgoingMessage } from '../../src/mail/transport.ts'
import { Metrics } from '../../src/metrics.ts'
import type { AlertEmail } from '../../src/modules/alerts/delivery.ts'
import { createComposer } from '../../src/present/mail.ts'
import { messageId } from '../../src/security.ts'
import { liveCampaign, setup, type TestEnv } from '../helper.ts'
import { activeSubscriber, jilinReport, mailsTo, publish, settled } from '../alerts/helpers.ts'
import { postUpdate } from '../updates/helpers.ts'

const LOCALES: Locale[] = ['en', 'ko', 'zh']

function copyFor(env: TestEnv, email: AlertEmail, to: string, n: number): OutgoingMessage {
  return { to, ...email(randomBytes(16)), messageId: messageId(env.config, `prepared-test:${n}:${to}`) }
}

/** The prepared MIME of an email, from two recipients' copies. */
function preparedFor(env: TestEnv, email: AlertEmail) {
  return prepareMail(
    env.config.mailFrom,
    copyFor(env, email, 'one@example.org', 1),
    copyFor(env, email, 'two@example.org', 2),
  )
}

/**
 * What nodemailer's mailer builds for `m` in full, with the Date and MIME boundary that `copy`
 * carries. Both with CRLF line breaks, as SMTP's DATA stream writes every line break of either.
 */
async function nodemailerBuild(from: string, m: OutgoingMessage, copy: string): Promise<string> {
  const date = new Date(/^Date: (.+)$/m.exec(copy)![1]!)
  const baseBoundary = /boundary="--_NmP-([0-9a-f]+)-Part_/.exec(copy)![1]!
  const { kind: _kind, prepared: _prepared, ...parts } = m
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' })
  const info = await transport.sendMail({ from, ...parts, date, baseBoundary })
  return (info.message as Buffer).toString('latin1')
}

const crlf = (message: string) => message.replace(/\r?\n/g, '\r\n')

t.test('an alert and an update in en, ko and zh: each copy is what nodemailer builds for its recipient', async (t) => {
  const env = await setup(t, { workers: false })
  const { alertId, reportId } = await publish(env, jilinReport)
  const slug = await liveCampaign(env)
  const posted = await postUpdate(env, slug, {
    kind: 'good-news',
    title: '석방',
    body: 'They were let go.\n\n감사합니다.',
  })
  const updateId = posted.json.update.id
  const compose = createComposer({ db: env.db, config: env.config })
  const from = env.config.mailFrom
  for (const locale of LOCALES) {
    for (const kind of ['report', 'retraction', 'update'] as const) {
      const email = await compose.alert(
        kind === 'update'
          ? { id: `update-${updateId}`, report_id: null, update_id: updateId, kind }
          : { id: alertId, report_id: reportId, update_id: null, kind },
        locale,
      )
      const prepared = await preparedFor(env, email!)
      t.ok(prepared, `${locale} ${kind}: prepared`)
      for (const to of [
        'kim.minji@example.org',
        'x+tag@mail.example.co.kr',
        "o'brien@example.org",
        'Kim.Minji@Example.ORG',
        `${'a-long-local-part.'.repeat(4)}kim@subdomain.example.org`,
        'kim@예시.한국',
      ]) {
        const m = copyFor(env, email!, to, 3)
        const copy = prepared!.fill(m)?.toString('latin1')
        t.ok(copy, `${locale} ${kind}: a copy for ${to}`)
        t.equal(
          crlf(copy!),
          await nodemailerBuild(from, m, copy!),
          `${locale} ${kind}: byte for byte nodemailer's, ${to}`,
        )
      }
    }
  }
})

t.test('what a copy cannot carry is built in full', async (t) => {
  const env = await setup(t, { workers: false })
  const { alertId, reportId } = await publish(env, jilinReport)
  const email = await createComposer({ db: env.db, config: env.config }).alert(
    { id: alertId, report_id: reportId, update_id: null, kind: 'report' },
    'ko',
  )
  const from = env.config.mailFrom
  const prepared = (await preparedFor(env, email!))!
  t.ok(prepared)
  const base = copyFor(env, email!, 'kim@example.org', 3)
  const refused: [string, OutgoingMessage][] = [
    ['an address with a display name', { ...base, to: 'Kim <kim@example.org>' }],
    ['two addresses', { ...base, to: 'kim@example.org, lee@example.org' }],
    ['an address with a line break', { ...base, to: 'kim@example.org\r\nBcc: x@example.org' }],
    ['a header the samples did not have', { ...base, headers: { ...base.headers, 'X-Extra': 'yes' } }],
    ['a header the samples had, missing', { ...base, headers: {} }],
    ['another subject', { ...base, subject: `${base.subject}!` }],
    ['no text', { ...base, text: undefined as unknown as string }],
    // The Korean sample's text goes quoted-printable; nodemailer writes a short ASCII line as 7bit.
    ['a body nodemailer encodes otherwise', { ...base, text: 'Plain ASCII only.' }],
    [
      'an attachment',
      { ...base, attachments: [{ filename: 'a.csv', content: Buffer.from('a'), contentType: 'text/csv' }] },
    ],
  ]
  for (const [what, m] of refused) t.equal(prepared.fill(m), undefined, `${what}: not a copy`)

  // A value nodemailer encodes is encoded alike: a line break cannot start a header of its own.
  for (const value of ['<https://ua.test/u/x>\r\nBcc: x@example.org', '<https://ua.test/u/김>', '"=?x?="']) {
    const m = { ...base, headers: { ...base.headers, 'List-Unsubscribe': value } }
    const copy = prepared.fill(m)?.toString('latin1')
    if (copy !== undefined)
      t.equal(crlf(copy), await nodemailerBuild(from, m, copy), `${JSON.stringify(value)}: as nodemailer`)
    t.notMatch(copy ?? '', /^Bcc:/im, `${JSON.stringify(value)}: no header added`)
  }

  const en = await createComposer({ db: env.db, config: env.config }).alert(
    { id: alertId, report_id: reportId, update_id: null, kind: 'report' },
    'en',
  )
  const english = (await preparedFor(env, en!))!
  t.ok(english)
  const enBase = copyFor(env, en!, 'kim@example.org', 3)
  t.ok(english.fill(enBase), 'the English copy is made')
  t.equal(
    english.fill({ ...enBase, text: '국경에서 체포된 사람들. '.repeat(40) }),
    undefined,
    'mostly Korean where the sample was English: nodemailer would pick base64, not a copy',
  )

  t.equal(
    await prepareMail(from, copyFor(env, email!, 'one@example.org', 1), { ...base, subject: 'another' }),
    undefined,
    'samples of two emails do not share a build',
  )

  // Sent with the prepared MIME anyway, such a message goes out built in full.
  const metrics = new Metrics()
  const mailer = createMailer(env.config, metrics)
  t.teardown(() => mailer.close())
  await mailer.send({ ...base, to: 'Kim Minji <kim@example.org>', prepared, kind: 'alert' })
  await mailer.send({ ...base, prepared, kind: 'alert' })
  const [mail, copied] = await env.smtp.waitFor(2)
  const builds = async (how: string) =>
    (await metrics.emailBuilds.get()).values.find((v) => v.labels.kind === 'alert' && v.labels.how === how)?.value
  t.equal(await builds('full'), 1, 'the full build counted')
  t.equal(await builds('copy'), 1, 'the copy counted')
  t.same(copied!.envelopeTo, ['kim@example.org'])
  const boundaryOf = (raw: string) => /boundary="(--_NmP-[0-9a-f]+)-/.exec(raw)?.[1]
  t.ok(boundaryOf(mail!.raw.toString('latin1')))
  t.not(
    boundaryOf(mail!.raw.toString('latin1')),
    boundaryOf(prepared.fill(base)!.toString('latin1')),
    'built on its own, not from the prepared MIME',
  )
  t.match(mail!.raw.toString('latin1'), /^To: Kim Minji <kim@example.org>$/m, 'with its display name')
  t.same(mail!.envelopeTo, ['kim@example.org'])
})

t.test('an alert through the workers goes out as prepared copies of one build per language', async (t) => {
  const env = await setup(t)
  const addresses = ['ko1@example.org', 'ko2@example.org', 'zh1@example.org', 'zh2@example.org']
  for (const email of addresses) await activeSubscriber(env, email, { locale: email.slice(0, 2) })
  const { alertId, headers } = await publish(env, jilinReport)
  t.match(await settled(env, alertId, headers), { sent: 4 })
  const boundary = (to: string) =>
    /boundary="(--_NmP-[0-9a-f]+)-Part_/.exec(mailsTo(env, to).at(-1)!.raw.toString('latin1'))?.[1]
  t.ok(boundary('ko1@example.org'))
  t.equal(boundary('ko1@example.org'), boundary('ko2@example.org'), 'the two Korean copies share one build')
  t.equal(boundary('zh1@example.org'), boundary('zh2@example.org'), 'the two Chinese copies share one build')
  t.not(boundary('ko1@example.org'), boundary('zh1@example.org'), 'each language has its own')
  for (const to of addresses) {
    const mail = mailsTo(env, to).at(-1)!
    t.same(mail.envelopeTo, [to])
    t.equal(mail.parsed.to && 'text' in mail.parsed.to ? mail.parsed.to.text : '', to, `${to}: its own To`)
    t.match(mail.parsed.text, /\/u\/[A-Za-z0-9_.-]+/, `${to}: its own unsubscribe link`)
  }
  const links = addresses.map((to) => /\/u\/[A-Za-z0-9_.-]+/.exec(mailsTo(env, to).at(-1)!.parsed.text ?? '')![0])
  t.equal(new Set(links).size, 4, 'each copy carries its own recipient link')
})
