// What one size of bench/fanout.ts sets up: its own database with N subscribers, the report, the
// message the raw senders copy, and the workers' environment.
import { writeFileSync } from 'node:fs'
import { parseConfig, type Config } from '../src/config.ts'
import { createDb } from '../src/db/index.ts'
import { loadDemo, DEMO_SLUG } from '../src/modules/demo/service.ts'
import { systemActor } from '../src/modules/audit/service.ts'
import { createApiToken, createOrganizer } from '../src/modules/organizers/service.ts'
import { createComposer } from '../src/present/mail.ts'
import { prepareDatabase } from '../src/runtime.ts'
import {
  BENCH_SECRET_KEY,
  PG_ADMIN_URL,
  PG_SERVER_URL,
  REDIS_URL,
  round,
  startAppServer,
  withPg,
  type Server,
} from './lib.ts'
import type { RawSample } from './nodemailer-raw.ts'

/** Its own database, so the page/signing benchmarks' ua_bench is never touched. */
export const FANOUT_DB_NAME = 'ua_bench_fanout'
export const FANOUT_DATABASE_URL = `${PG_SERVER_URL}/${FANOUT_DB_NAME}`
export const PUBLIC_URL = 'https://urgent-action.example.org'
export const MAIL_FROM = 'Urgent Action <alerts@urgent-action.example.org>'

export interface FanoutOptions {
  sizes: number[]
  processes: number
  concurrency: number
  pool: number
  pollMs: number
  raw: boolean
  keepDb: boolean
  label: string
  /**
   * What fans out: a published report's alert to active subscribers (issue 4), or a campaign
   * update with "notify" to the campaign's confirmed signers (issue 15).
   */
  kind: 'report' | 'update'
  /** Before each measured phase, wait for a quiet machine (waitForMachine: load average below this). */
  waitForLoad?: number
}

// ---------------------------------------------------------------- database

/**
 * Drops and recreates the fan-out database, migrated, demo loaded, and n recipients: active
 * subscribers to everything, or confirmed signatures of the demo campaign; returns an API token.
 */
export async function resetFanoutDb(
  recipients: number,
  kind: FanoutOptions['kind'] = 'report',
): Promise<{ token: string; seedSeconds: number }> {
  await withPg(PG_ADMIN_URL, (c) => c.query(`drop database if exists "${FANOUT_DB_NAME}" with (force)`))
  const db = await prepareDatabase(parseConfig({ DATABASE_URL: FANOUT_DATABASE_URL, LOG_LEVEL: 'silent' }))
  let token: string
  try {
    await loadDemo(db)
    await createOrganizer(db, systemActor('cli'), {
      email: 'bench-organizer@example.org',
      name: 'Bench Organizer',
      role: 'organizer',
    })
    token = await createApiToken(db, systemActor('cli'), 'bench-organizer@example.org')
  } finally {
    await db.destroy()
  }
  const t0 = Date.now()
  await withPg(FANOUT_DATABASE_URL, async (c) => {
    if (kind === 'update') {
      await c.query(
        `insert into signatures (campaign_id, name, email, email_key, country, locale, status, wants_updates,
                                 confirm_nonce, confirm_expires_at, created_at, confirmed_at)
         select (select id from campaigns where slug = $2), 'Signer ' || i,
                'signer.' || i || '@bench.example.org', 'signer.' || i || '@bench.example.org',
                'KR', 'en', 'confirmed', true, decode(md5('fanout-' || i), 'hex'),
                now() + interval '1 day', now() - interval '2 days', now() - interval '1 day'
         from generate_series(1, $1::bigint) as i`,
        [recipients, DEMO_SLUG],
      )
      await c.query('vacuum analyze signatures')
      return
    }
    await c.query(
      `insert into subscribers (email, email_key, locale, frequency, status, topic_all, nonce, created_at, confirmed_at)
       select 'subscriber.' || i || '@bench.example.org',
              'subscriber.' || i || '@bench.example.org',
              'en', 'immediate', 'active', true,
              decode(md5('fanout-' || i), 'hex'),
              now() - interval '2 days', now() - interval '1 day'
       from generate_series(1, $1::bigint) as i`,
      [recipients],
    )
    await c.query('vacuum analyze subscribers')
  })
  return { token, seedSeconds: round((Date.now() - t0) / 1000, 1) }
}

export async function dropFanoutDb() {
  await withPg(PG_ADMIN_URL, (c) => c.query(`drop database if exists "${FANOUT_DB_NAME}" with (force)`))
}

// ---------------------------------------------------------------- the app side

export function workerEnv(opts: FanoutOptions, sinkPort: number, prefix: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    SECRET_KEY: BENCH_SECRET_KEY,
    LOG_LEVEL: 'warn',
    DATABASE_URL: FANOUT_DATABASE_URL,
    REDIS_URL,
    SMTP_URL: `smtp://127.0.0.1:${sinkPort}?tls=off`,
    MAIL_FROM,
    PUBLIC_URL,
    QUEUE_PREFIX: prefix,
    DELIVERY_CONCURRENCY: String(opts.concurrency),
    SMTP_POOL_SIZE: String(opts.pool),
    OUTBOX_POLL_MS: String(opts.pollMs),
  }
}

export async function api<T>(
  server: Server,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  const res = await fetch(server.url + path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, json: (await res.json()) as T }
}

/** A realistic report: the alert's size is what the subscribers would get. */
export const BENCH_REPORT = {
  occurredOn: '2026-11-20',
  place: { name: 'Dandong', province: 'Liaoning', country: 'CN' },
  peopleCount: 12,
  kind: 'forced-return',
  summary:
    'Relatives report that twelve North Koreans held at the Dandong border detention centre, among them two ' +
    'teenagers, were driven across the Sino-Korean Friendship Bridge to Sinuiju on the morning of 20 November. ' +
    'Two of them had been held since the spring; their families in Seoul had asked the Chinese embassy to let them ' +
    'leave for South Korea. Returnees are questioned by the State Security Department and many are sent to ' +
    'detention centres where torture and forced labour are documented.',
  sourceName: 'Testimony from relatives, checked with a second source',
  sourceUrl: 'https://www.hrw.org/news/2021/07/22/china-forcibly-return-refugees-north-korea',
  confidence: 'credible',
  campaign: DEMO_SLUG,
} as const

/**
 * The first subscriber's message exactly as src/modules/alerts/delivery.ts builds it (the
 * workers' composer and config), for the raw nodemailer baseline.
 */
async function renderSample(config: Config, about: Trigger): Promise<RawSample> {
  const db = createDb(config.databaseUrl, { max: 1 })
  try {
    const alert = {
      id: `sample-${about.id}`,
      report_id: about.kind === 'report' ? about.id : null,
      update_id: about.kind === 'update' ? about.id : null,
      kind: about.kind,
      status: 'sending' as const,
      fanout_cursor: '0',
      created_at: new Date(),
      fanned_out_at: null,
    }
    const email = await createComposer({ db, config }).alert(alert, 'en')
    if (!email) throw new Error(`no ${about.kind} to render`)
    const first =
      about.kind === 'update'
        ? await db
            .selectFrom('signatures')
            .select('confirm_nonce as nonce')
            .orderBy('id')
            .limit(1)
            .executeTakeFirstOrThrow()
        : await db.selectFrom('subscribers').select(['nonce']).orderBy('id').limit(1).executeTakeFirstOrThrow()
    const { headers, ...content } = email(first.nonce)
    return {
      from: config.mailFrom,
      ...content,
      headers: headers ?? {},
      messageIdHost: new URL(config.publicUrl).hostname,
    }
  } finally {
    await db.destroy()
  }
}

/** Bytes of one message on the wire, as nodemailer builds it. */
async function messageBytes(sample: RawSample): Promise<number> {
  const nodemailer = (await import('nodemailer')).default
  const t = nodemailer.createTransport({ streamTransport: true, buffer: true })
  const info = await t.sendMail({
    from: sample.from,
    to: 'subscriber.1@bench.example.org',
    subject: sample.subject,
    text: sample.text,
    html: sample.html,
    headers: sample.headers,
    messageId: `<report-1.report.1@${sample.messageIdHost}>`,
  })
  return (info.message as Buffer).length
}

/** A realistic campaign update: what the signers would get. */
export const BENCH_UPDATE = {
  kind: 'update',
  title: 'The petition was handed to the Chinese embassy in Seoul',
  body:
    'On Monday morning three of the families and our staff handed the petition, with every signature and ' +
    'comment, to a counsellor of the Chinese embassy in Seoul. He promised to pass it to the Ministry of Foreign ' +
    'Affairs in Beijing. We asked for a written answer within two weeks and for access for UNHCR to the people ' +
    'held in Dandong. We will write again as soon as there is news; thank you for standing with the families.',
  lang: 'en',
} as const

/** What a run fans out: a draft report (published later) or an update of the demo campaign. */
export interface Trigger {
  kind: FanoutOptions['kind']
  id: string
}

/**
 * Creates, through the web process, what the run will send: a draft report, or for updates an
 * update without notify (the message's twin: the run posts another with notify).
 */
export async function createTrigger(server: Server, token: string, kind: FanoutOptions['kind']): Promise<Trigger> {
  if (kind === 'update') {
    const posted = await api<{ update: { id: string } }>(
      server,
      token,
      'POST',
      `/api/v1/campaigns/${DEMO_SLUG}/updates`,
      { ...BENCH_UPDATE, notify: false },
    )
    if (posted.status !== 202) throw new Error(`post update answered ${posted.status}: ${JSON.stringify(posted.json)}`)
    return { kind, id: posted.json.update.id }
  }
  const draft = await api<{ id: string }>(server, token, 'POST', '/api/v1/reports', BENCH_REPORT)
  if (draft.status !== 201) throw new Error(`create report answered ${draft.status}: ${JSON.stringify(draft.json)}`)
  return { kind, id: draft.json.id }
}

/**
 * Starts the fan-out the run measures: publishes the draft report, or posts the update again with
 * notify. Answers the request's status and the alert's id.
 */
export async function startSending(server: Server, token: string, trigger: Trigger) {
  const { status, json } =
    trigger.kind === 'update'
      ? await api<{ alert: { id: string } | null }>(server, token, 'POST', `/api/v1/campaigns/${DEMO_SLUG}/updates`, {
          ...BENCH_UPDATE,
          notify: true,
        })
      : await api<{ alert: { id: string } | null }>(server, token, 'POST', `/api/v1/reports/${trigger.id}/publish`)
  if (status !== 202 || !json.alert)
    throw new Error(`starting the ${trigger.kind} answered ${status}: ${JSON.stringify(json)}`)
  return { status, alertId: json.alert.id }
}

/**
 * Creates what is sent (createTrigger) and writes the first recipient's message to `samplePath`
 * for the raw senders; returns its size on the wire.
 */
export async function writeSample(opts: FanoutOptions, sinkPort: number, token: string, samplePath: string) {
  const config = parseConfig(workerEnv(opts, sinkPort, 'unused'))
  const web = await startAppServer({ DATABASE_URL: FANOUT_DATABASE_URL, PUBLIC_URL, MAIL_FROM })
  let trigger: Trigger
  try {
    trigger = await createTrigger(web, token, opts.kind)
  } finally {
    await web.stop()
  }
  const sample = await renderSample(config, trigger)
  writeFileSync(samplePath, JSON.stringify(sample, null, 2))
  return messageBytes(sample)
}
