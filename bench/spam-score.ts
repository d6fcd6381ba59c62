// Issue 4, spam score: a real alert email and a real daily digest, sent by the app's own send paths
// (deliverAlerts and deliverDigest, through createMailer's pooled SMTP transport) to an SMTP server
// in this process (the smtp-server devDependency) that keeps the raw message, then each message
// piped through `spamassassin -L -t` (local tests only: no DNS, no network rules, no sa-update).
// Prints each score with the rules that hit; exits 1 if either scores above the limit (1.0).
//
//   node --import tsx bench/spam-score.ts [--locales en] [--limit 1.0] [--save] [--keep-db]
//
// Needs Debian's spamassassin (`apt-get install -y spamassassin`). Uses its own database
// (SPAM_DB_NAME), dropped and recreated at the start and dropped at the end (--keep-db keeps it).
// The app's config is production-like: NODE_ENV=production, PUBLIC_URL=https://urgent-action.example.org,
// MAIL_FROM "Urgent Action <alerts@urgent-action.example.org>". --save writes each message to
// bench/results/spam-<kind>-<locale>.eml. --locales en,ko,zh scores the other languages as well
// (every language counts towards the exit status).
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { parseConfig, type Config } from '../src/config.ts'
import type { Db } from '../src/db/index.ts'
import type { Locale } from '../src/db/types.ts'
import { createMailer } from '../src/mail/transport.ts'
import { createComposer } from '../src/present/mail.ts'
import { deliverAlerts } from '../src/modules/alerts/delivery.ts'
import { DEMO_SLUG, loadDemo } from '../src/modules/demo/service.ts'
import { deliverDigest } from '../src/modules/digests/service.ts'
import { systemActor } from '../src/modules/audit/service.ts'
import { createReport, publishReport, type ReportInput } from '../src/modules/reports/service.ts'
import { randomNonce } from '../src/security.ts'
import { prepareDatabase } from '../src/runtime.ts'
import { startSmtp } from '../tests/helper.ts'
import {
  BENCH_SECRET_KEY,
  isMain,
  PG_ADMIN_URL,
  PG_SERVER_URL,
  RESULTS_DIR,
  round,
  saveResult,
  stamp,
  table,
  verdict,
  withPg,
  preflight,
  POSTGRES,
} from './lib.ts'

const fixtures = systemActor('cli')

export const SPAM_DB_NAME = 'ua_bench_spam'
const SPAM_DATABASE_URL = `${PG_SERVER_URL}/${SPAM_DB_NAME}`
const SPAMASSASSIN = process.env.SPAMASSASSIN ?? 'spamassassin'

/** Three reports as an organizer would write them; the alert is the first, the digest has all three. */
export const REPORTS: ReportInput[] = [
  {
    occurredOn: '2026-11-20',
    place: { name: 'Dandong', province: 'Liaoning', country: 'CN' },
    peopleCount: 12,
    kind: 'forced-return',
    summary:
      'Relatives report that twelve North Koreans held at the Dandong border detention centre, among them two ' +
      'teenagers, were driven across the Sino-Korean Friendship Bridge to Sinuiju on the morning of 20 November. ' +
      'Returnees are questioned by the State Security Department and many are sent to detention centres where ' +
      'torture and forced labour are documented.',
    sourceName: 'Testimony from relatives, checked with a second source',
    sourceUrl: 'https://www.hrw.org/news/2021/07/22/china-forcibly-return-refugees-north-korea',
    confidence: 'credible',
    campaign: DEMO_SLUG,
  },
  {
    occurredOn: '2026-11-18',
    place: { name: 'Tumen', province: 'Jilin', country: 'CN' },
    peopleCount: 5,
    kind: 'detention',
    summary: 'Five women caught at a checkpoint near Yanji are held at the Tumen border detention facility.',
    sourceName: 'Daily NK',
    sourceUrl: 'https://www.dailynk.com/english/',
    confidence: 'unverified',
  },
  {
    occurredOn: '2026-11-15',
    place: { name: 'Shenyang', province: 'Liaoning', country: 'CN' },
    peopleCount: 3,
    kind: 'transfer',
    summary: 'Three people held in Shenyang were moved to Dandong, usually the last stop before a return.',
    confidence: 'confirmed',
    campaign: DEMO_SLUG,
  },
]

export interface RuleHit {
  points: number
  rule: string
  description: string
}

export interface SpamResult {
  kind: 'alert' | 'digest'
  locale: Locale
  bytes: number
  /** Reports in the message (a digest holds every report published since the last one). */
  reports: number
  score: number
  required: number
  rules: RuleHit[]
  pass: boolean
}

// ---------------------------------------------------------------- spamassassin

/** Runs `spamassassin -L -t` on one message; parses its report. */
export async function spamScore(
  raw: Buffer,
): Promise<{ score: number; required: number; rules: RuleHit[]; report: string }> {
  const child = spawn(SPAMASSASSIN, ['-L', '-t'], { stdio: ['pipe', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')))
  child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')))
  child.stdin.end(raw)
  const [code] = (await once(child, 'close')) as [number | null]
  // -t exits 1 when the message is spam; anything else non-zero is a failure to run.
  if (code !== 0 && code !== 1) throw new Error(`spamassassin exited with ${code}: ${err.trim().split('\n').at(-1)}`)
  const at = out.indexOf('Content analysis details:')
  if (at < 0) throw new Error(`no report in spamassassin's output: ${out.slice(0, 300)}`)
  const report = out.slice(at)
  const head = /Content analysis details:\s+\((-?[\d.]+) points, (-?[\d.]+) required\)/.exec(report)
  if (!head) throw new Error('could not read the score')
  const rules: RuleHit[] = []
  const lines = report.split('\n')
  const start = lines.findIndex((l) => l.startsWith('----'))
  for (const line of lines.slice(start + 1)) {
    const m = /^\s*(-?\d+(?:\.\d+)?) ([A-Z0-9_]+)\s+(.*)$/.exec(line)
    if (m) rules.push({ points: Number(m[1]), rule: m[2]!, description: m[3]!.trim() })
    else if (/^\s{20,}\S/.test(line) && rules.length) rules.at(-1)!.description += ` ${line.trim()}`
    else if (line.trim() === '') break
  }
  return { score: Number(head[1]), required: Number(head[2]), rules, report }
}

// ---------------------------------------------------------------- the app's sends

function benchConfig(smtpUrl: string): Config {
  return parseConfig({
    NODE_ENV: 'production',
    SECRET_KEY: BENCH_SECRET_KEY,
    DATABASE_URL: SPAM_DATABASE_URL,
    SMTP_URL: smtpUrl,
    MAIL_FROM: 'Urgent Action <alerts@urgent-action.example.org>',
    PUBLIC_URL: 'https://urgent-action.example.org',
    LOG_LEVEL: 'silent',
  })
}

async function addSubscriber(db: Db, email: string, locale: Locale, frequency: 'immediate' | 'daily') {
  const row = await db
    .insertInto('subscribers')
    .values({
      email,
      email_key: email,
      locale,
      frequency,
      status: 'active',
      topic_all: true,
      nonce: randomNonce(),
      created_at: sql<Date>`now() - interval '2 days'`,
      confirmed_at: sql<Date>`now() - interval '2 days'`,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Sends one alert and one digest per locale through deliverAlerts / deliverDigest; returns them raw. */
async function sendThroughApp(locales: Locale[]) {
  // The tests' SMTP server: it keeps each message's raw bytes. Closed below, not by a tap teardown.
  const capture = await startSmtp({ teardown: () => {} })
  const config = benchConfig(capture.url)
  await withPg(PG_ADMIN_URL, (c) => c.query(`drop database if exists "${SPAM_DB_NAME}" with (force)`))
  const db = await prepareDatabase(config)
  const mailer = createMailer(config)
  const deps = { db, config, mailer, compose: createComposer({ db, config }) }
  const out: { kind: 'alert' | 'digest'; locale: Locale; raw: Buffer; reports: number }[] = []
  try {
    // The demo campaign (loadDemo also publishes its own reports, which the digest then holds too).
    await loadDemo(db)
    // Oldest first, so the alert (the first report) is the newest publication.
    const published = []
    for (const input of [...REPORTS].reverse()) {
      const report = await createReport(db, fixtures, input)
      published.push(await publishReport(db, fixtures, report.id))
    }
    const alertId = published.at(-1)!.alertId
    for (const locale of locales) {
      const alertTo = `supporter.${locale}@example.net`
      const subscriberId = await addSubscriber(db, alertTo, locale, 'immediate')
      // The row the fan-out would have made for this subscriber (no workers run here).
      const delivery = await db
        .insertInto('deliveries')
        .values({ alert_id: alertId, subscriber_id: subscriberId })
        .returning('id')
        .executeTakeFirstOrThrow()
      await db.updateTable('alerts').set({ status: 'sending' }).where('id', '=', alertId).execute()
      const sentAlert = await deliverAlerts(deps, [delivery.id])
      if (sentAlert.sent !== 1) throw new Error(`deliverAlerts answered ${JSON.stringify(sentAlert)}`)

      const digestTo = `daily.${locale}@example.net`
      const dailyId = await addSubscriber(db, digestTo, locale, 'daily')
      const digest = await db
        .insertInto('digests')
        .values({
          subscriber_id: dailyId,
          day: sql<string>`current_date`,
          since: sql<Date>`now() - interval '1 day'`,
          until: sql<Date>`now() + interval '1 second'`,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      const sentDigest = await deliverDigest(deps, digest.id)
      if (sentDigest !== 'sent') throw new Error(`deliverDigest answered ${sentDigest}`)
      const { report_count: digestReports } = await db
        .selectFrom('digests')
        .select('report_count')
        .where('id', '=', digest.id)
        .executeTakeFirstOrThrow()

      for (const [kind, to, reports] of [
        ['alert', alertTo, 1],
        ['digest', digestTo, digestReports],
      ] as const) {
        const mail = capture.messages.find((m) => m.envelopeTo.includes(to))
        if (!mail) throw new Error(`no ${kind} captured for ${to}`)
        out.push({ kind, locale, raw: mail.raw, reports })
      }
    }
  } finally {
    mailer.close()
    await db.destroy()
    await capture.close()
  }
  return out
}

export async function runSpamScore(opts: { locales: Locale[]; limit: number; save: boolean; keepDb: boolean }) {
  let sent
  try {
    sent = await sendThroughApp(opts.locales)
  } finally {
    if (!opts.keepDb)
      await withPg(PG_ADMIN_URL, (c) => c.query(`drop database if exists "${SPAM_DB_NAME}" with (force)`))
  }
  const results: SpamResult[] = []
  for (const m of sent) {
    if (opts.save) {
      mkdirSync(RESULTS_DIR, { recursive: true })
      writeFileSync(`${RESULTS_DIR}spam-${m.kind}-${m.locale}.eml`, m.raw)
    }
    const s = await spamScore(m.raw)
    results.push({
      kind: m.kind,
      locale: m.locale,
      bytes: m.raw.length,
      reports: m.reports,
      score: s.score,
      required: s.required,
      rules: s.rules,
      pass: s.score <= opts.limit,
    })
  }
  return results
}

export function printSpam(results: SpamResult[], limit: number) {
  console.log(
    table(
      ['message', 'reports', 'bytes', 'score', 'rules that hit (points)'],
      results.map((r) => [
        `${r.kind} (${r.locale})`,
        r.reports,
        r.bytes,
        r.score.toFixed(1),
        r.rules.map((h) => `${h.rule} ${h.points.toFixed(1)}`).join(', ') || '(none)',
      ]),
    ),
  )
  for (const r of results) {
    console.log(`\n${r.kind} (${r.locale}): ${r.score.toFixed(1)} points (spamassassin's own threshold ${r.required})`)
    console.log(
      table(
        ['pts', 'rule', 'description'],
        r.rules.map((h) => [h.points.toFixed(1), h.rule, h.description]),
      ),
    )
  }
  const verdicts = results.map((r) =>
    verdict(
      r.pass,
      `${r.kind} (${r.locale}) scores ${r.score.toFixed(1)} with spamassassin -L -t (target <= ${limit})`,
    ),
  )
  console.log('')
  for (const v of verdicts) console.log(v)
  return verdicts
}

if (isMain(import.meta.url)) {
  await preflight('spam-score', [POSTGRES, { program: SPAMASSASSIN, install: 'apt-get install -y spamassassin' }])
  const { values } = parseArgs({
    options: {
      locales: { type: 'string', default: 'en' },
      limit: { type: 'string', default: '1.0' },
      save: { type: 'boolean', default: false },
      'keep-db': { type: 'boolean', default: false },
    },
  })
  const locales = values.locales.split(',').map((l) => l.trim()) as Locale[]
  const limit = Number(values.limit)
  const version = await new Promise<string>((resolve) => {
    const c = spawn(SPAMASSASSIN, ['--version'])
    let s = ''
    c.stdout.on('data', (d: Buffer) => (s += d.toString()))
    c.on('error', () => resolve('not installed'))
    c.on('close', () => resolve(s.split('\n')[0]!.trim()))
  })
  console.log(`${version}; spamassassin -L -t (local tests only); limit ${limit}`)
  const results = await runSpamScore({ locales, limit, save: values.save, keepDb: values['keep-db'] })
  const verdicts = printSpam(results, limit)
  console.log(
    `saved ${saveResult(`spam-score-${stamp()}`, { at: new Date().toISOString(), spamassassin: version, limit, results: results.map((r) => ({ ...r, score: round(r.score, 1) })), verdicts })}`,
  )
  process.exit(results.every((r) => r.pass) ? 0 : 1)
}
