// Builds the app and the workers against the real Postgres, Redis and an in-process SMTP server.
// Each test file gets its own database and its own BullMQ prefix, so files run in parallel.
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { Queue, type Job } from 'bullmq'
import { Redis } from 'ioredis'
import { simpleParser, type ParsedMail } from 'mailparser'
import pg from 'pg'
import { SMTPServer } from 'smtp-server'
import { buildApp } from '../src/app.ts'
import { parseConfig, type Config } from '../src/config.ts'
import { createDb, type Db } from '../src/db/index.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import * as organizers from '../src/modules/organizers/repository.ts'
import { hashPassword, randomSecret, sha256 } from '../src/security.ts'
import { startWorkers, type Workers } from '../workers/start.ts'
import { isBreached } from '../src/modules/accounts/breached.ts'

type Teardown = { teardown(fn: () => unknown): void }

export const BASE_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/urgent_action'
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(3).toString('hex')}`
}

/** DB_STATEMENT_TIMEOUT_MS's default: the tests' pools are set as the app's are. */
const TEST_STATEMENT_TIMEOUT_MS = parseConfig({}).statementTimeoutMs

/** A fresh, migrated database, dropped when the test ends. */
export async function createTestDb(t: Teardown): Promise<{ db: Db; url: string }> {
  const name = uniqueName('ua_test')
  const admin = new URL(BASE_DATABASE_URL)
  admin.pathname = '/postgres'
  const client = new pg.Client({ connectionString: admin.toString() })
  await client.connect()
  await client.query(`create database ${name}`)
  await client.end()
  const url = new URL(BASE_DATABASE_URL)
  url.pathname = `/${name}`
  // The pool as the app has it in production: the default statement and idle timeouts.
  const db = createDb(url.toString(), { statementTimeoutMs: TEST_STATEMENT_TIMEOUT_MS })
  await migrateToLatest(db)
  t.teardown(async () => {
    await db.destroy()
    const c = new pg.Client({ connectionString: admin.toString() })
    await c.connect()
    await c.query(`drop database if exists ${name} with (force)`)
    await c.end()
  })
  return { db, url: url.toString() }
}

async function migratedDb(t: Teardown, url: string): Promise<{ db: Db; url: string }> {
  const db = createDb(url, { statementTimeoutMs: TEST_STATEMENT_TIMEOUT_MS })
  t.teardown(() => db.destroy())
  await migrateToLatest(db)
  return { db, url }
}

export interface ReceivedMail {
  envelopeTo: string[]
  raw: Buffer
  parsed: ParsedMail
}

export interface TestSmtp {
  url: string
  port: number
  messages: ReceivedMail[]
  /** How many messages were offered (DATA commands), accepted or refused. */
  attempts(): number
  /**
   * Answers the next DATA commands with this code (e.g. 451 or 550); null to accept. `reply`
   * words the answer from the recipients, as real servers quote them.
   */
  respondWith: (code: number | null, times?: number, reply?: (recipients: string[]) => string) => void
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>
  close(): Promise<void>
}

/** A real SMTP server in this process that keeps every message it accepts. */
export async function startSmtp(t: Teardown): Promise<TestSmtp> {
  const messages: ReceivedMail[] = []
  let offered = 0
  let forced: { code: number; times: number; reply?: (recipients: string[]) => string } | null = null
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        offered++
        if (forced && forced.times > 0) {
          forced.times--
          const recipients = session.envelope.rcptTo.map((r) => r.address)
          const err = Object.assign(new Error(forced.reply?.(recipients) ?? `forced ${forced.code}`), {
            responseCode: forced.code,
          })
          return callback(err)
        }
        const raw = Buffer.concat(chunks)
        simpleParser(raw).then(
          (parsed) => {
            messages.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), raw, parsed })
            callback(null, 'queued')
          },
          (err: Error) => callback(err),
        )
      })
    },
  })
  // A client dropping its connection (a worker stopped mid-send) is not a test failure.
  server.on('error', () => {})
  server.listen(0, '127.0.0.1')
  await once(server.server, 'listening')
  const port = (server.server.address() as AddressInfo).port
  const smtp: TestSmtp = {
    url: `smtp://127.0.0.1:${port}?tls=off`,
    port,
    messages,
    attempts: () => offered,
    respondWith(code, times = Number.POSITIVE_INFINITY, reply) {
      forced = code === null ? null : { code, times, reply }
    },
    async waitFor(count, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs
      while (messages.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} emails, got ${messages.length}`)
        await sleep(25)
      }
      return messages
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
  t.teardown(() => smtp.close())
  return smtp
}

export function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Polls until fn returns a truthy value, or fails after timeoutMs. */
export async function eventually<T>(
  fn: () => Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await fn()
    if (value) return value
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await sleep(25)
  }
}

export interface TestEnv {
  config: Config
  db: Db
  app: Awaited<ReturnType<typeof buildApp>>
  smtp: TestSmtp
  workers: Workers | undefined
  startWorkers(): Promise<Workers>
  stopWorkers(): Promise<void>
}

/** The app (and, unless told otherwise, the workers) on a fresh database and SMTP server. */
export async function setup(
  t: Teardown,
  options: {
    workers?: boolean
    env?: Record<string, string>
    databaseUrl?: string
    /** A pooler in front of the test's database: its URL for the app and workers; migrations go direct. */
    pooled?: (directUrl: string) => Promise<string>
  } = {},
): Promise<TestEnv> {
  // A database of the test's own server (a fault test's) is used as it is, and goes with it.
  const direct = options.databaseUrl ? await migratedDb(t, options.databaseUrl) : await createTestDb(t)
  let { db, url } = direct
  if (options.pooled) {
    url = await options.pooled(direct.url)
    db = createDb(url, { statementTimeoutMs: TEST_STATEMENT_TIMEOUT_MS })
    const pooledDb = db
    t.teardown(() => pooledDb.destroy())
  }
  const smtp = await startSmtp(t)
  const prefix = uniqueName('uatest')
  const config = parseConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    DATABASE_DIRECT_URL: direct.url,
    REDIS_URL,
    SMTP_URL: smtp.url,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'silent',
    COUNT_FLUSH_MS: '100',
    OUTBOX_POLL_MS: '50',
    PUBLIC_URL: 'http://ua.test',
    // Most tests repeat a signature or subscription on purpose; the cooldown has its own test.
    EMAIL_COOLDOWN_SECONDS: '0',
    RATE_LIMIT_PER_MINUTE: '100000',
    // Most tests post a form at once, without rendering it first; the minimum has its own test.
    FORM_MIN_SECONDS: '0',
    // Most tests sign from one address many times; the network budget has its own tests.
    SIGN_CHALLENGE_AFTER: '100000',
    // Tests write to example.org by the hundred; the domain cap has its own test.
    MAIL_DOMAIN_PER_MINUTE: '0',
    ...options.env,
  })
  const app = await buildApp({ config, db })
  const silent = { info() {}, warn() {}, error() {} }
  const env: TestEnv = {
    config,
    db,
    app,
    smtp,
    workers: undefined,
    async startWorkers() {
      env.workers = await startWorkers({ config, db, logger: silent })
      return env.workers
    },
    async stopWorkers() {
      await env.workers?.close()
      env.workers = undefined
    },
  }
  if (options.workers !== false) await env.startWorkers()
  t.teardown(async () => {
    await app.close()
    await env.stopWorkers()
    await deleteRedisPrefix(config.redisUrl, prefix)
  })
  return env
}

/** Deletes every Redis key under `prefix:` (a test's or a benchmark's queues). */
export async function deleteRedisPrefix(redisUrl: string, prefix: string) {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 })
  try {
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500)
      cursor = next
      if (keys.length) await redis.del(...keys)
    } while (cursor !== '0')
  } catch {
    // a private Redis already stopped by the test
  } finally {
    redis.disconnect()
  }
}

/**
 * An account as organizer:create makes it (a one-time password it must replace), written as test
 * data: the CLI's own audit row would show in the tests that read the log for what they did.
 */
async function seedOrganizer(db: Db, email: string, name: string, role: 'admin' | 'organizer') {
  const password = randomSecret(18)
  const row = await organizers.insertOrganizer(db, { email, name, role, passwordHash: await hashPassword(password) })
  if (!row) throw new Error(`organizer ${email} exists already`)
  return { id: row.id, password }
}

/** An organizer with an API token (write unless told); returns the Authorization header value. */
export async function organizerAuth(
  db: Db,
  email = `org-${randomBytes(3).toString('hex')}@example.org`,
  scope: 'read' | 'write' = 'write',
) {
  const { id } = await seedOrganizer(db, email, 'Test Organizer', 'organizer')
  const token = `ua_${randomSecret(32)}`
  await organizers.insertToken(db, id, sha256(token), { scope, expiresAt: null })
  return `Bearer ${token}`
}

export const campaignInput = {
  title: 'Free the detained refugees',
  summary: 'They face forced return.',
  body: 'Some **Markdown** with <script>alert(1)</script> raw HTML that must not render.',
  target: 'The Government',
  asks: ['Stop forced returns', 'Let UNHCR in'],
  goal: 100,
}

/** Creates and launches a campaign through the API; returns its slug. */
export async function liveCampaign(env: TestEnv, overrides: Record<string, unknown> = {}): Promise<string> {
  const auth = await organizerAuth(env.db)
  const created = await env.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers: { authorization: auth },
    payload: { ...campaignInput, slug: uniqueName('c').replaceAll('_', '-'), ...overrides },
  })
  if (created.statusCode !== 201) throw new Error(`create failed: ${created.body}`)
  const { slug } = created.json<{ slug: string }>()
  const launched = await env.app.inject({
    method: 'POST',
    url: `/api/v1/campaigns/${slug}/launch`,
    headers: { authorization: auth },
  })
  if (launched.statusCode !== 200) throw new Error(`launch failed: ${launched.body}`)
  return slug
}

export const signer = { name: 'Kim Min-ji', email: 'Minji.Kim@Example.org', country: 'KR' }

/** The confirm URL path in an email's plain-text part. */
export function confirmPath(mail: ReceivedMail): string {
  const match = /https?:\/\/[^/\s]+(\/confirm\/[A-Za-z0-9_.-]+)/.exec(mail.parsed.text ?? '')
  if (!match) throw new Error('no confirm link in the email')
  return match[1]!
}

/** A browser for the console: keeps cookies, reads the CSRF token from the pages it gets. */
export class ConsoleClient {
  readonly cookies = new Map<string, string>()
  csrf = ''
  /** The address this browser connects from (127.0.0.1 unless set). */
  constructor(
    readonly env: TestEnv,
    public ip?: string,
  ) {}

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  async request(method: 'GET' | 'POST', url: string, fields?: Record<string, string>, withCsrf = true) {
    const body = fields
      ? new URLSearchParams({ ...(withCsrf && this.csrf ? { _csrf: this.csrf } : {}), ...fields })
      : undefined
    const res = await this.env.app.inject({
      method,
      url,
      ...(this.ip ? { remoteAddress: this.ip } : {}),
      headers: {
        cookie: this.cookieHeader(),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(body ? { payload: body.toString() } : {}),
    })
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const gone = c.value === '' || (c.expires && c.expires.getTime() < Date.now()) || c.maxAge === 0
      if (gone) this.cookies.delete(c.name)
      else this.cookies.set(c.name, c.value)
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)
    if (token) this.csrf = token[1]!
    return res
  }

  get(url: string) {
    return this.request('GET', url)
  }

  post(url: string, fields: Record<string, string> = {}, withCsrf = true) {
    return this.request('POST', url, fields, withCsrf)
  }

  async login(email: string, password: string) {
    await this.get('/admin/login')
    return this.post('/admin/login', { email, password })
  }
}

/**
 * An account of the given role, logged in through the console's login form with its one-time
 * password, which it then replaces (as every new account must) by `password`.
 */
export async function loginAs(
  env: TestEnv,
  role: 'admin' | 'organizer',
  email = `${role}-${randomBytes(3).toString('hex')}@example.org`,
) {
  const { id, password: oneTime } = await seedOrganizer(env.db, email, `Test ${role}`, role)
  const client = new ConsoleClient(env)
  const res = await client.login(email, oneTime)
  if (res.statusCode !== 303) throw new Error(`login failed: ${res.statusCode}`)
  await client.get('/admin/account') // a page, for a CSRF token bound to the new session
  // A random phrase the breached-password filter happens to flag (1 in 1,000 by design) would fail
  // the login of a test that has nothing to do with passwords: draw again.
  let password: string
  do password = `own phrase ${randomBytes(6).toString('hex')}`
  while (isBreached(password))
  const changed = await client.post('/admin/account/password', { current: oneTime, password, confirmation: password })
  if (changed.statusCode !== 303) throw new Error(`first password change failed: ${changed.statusCode}`)
  await client.get('/admin/account')
  return { client, id, email, password }
}

/**
 * The mail queue's jobs once there are any, with each job's whole hash in Redis as JSON: what a
 * Redis dump would show of it. Start the workers with SMTP refusing, so the job stays to be read.
 */
/** A Redis connection of the test's own, closed when the test ends. */
export function redisConnection(t: Teardown, env: TestEnv): Redis {
  const connection = new Redis(env.config.redisUrl, { maxRetriesPerRequest: null })
  t.teardown(() => connection.disconnect())
  return connection
}

/** A queue of the test's app, closed when the test ends (teardowns run last first: before its connection). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test reads its jobs' data as it likes
export function openQueue<T = any>(
  t: Teardown,
  env: TestEnv,
  name: string,
  connection = redisConnection(t, env),
): Queue<T> {
  const queue = new Queue<T>(name, { connection, prefix: env.config.queuePrefix })
  t.teardown(() => queue.close())
  return queue
}

export async function mailJobsInRedis(
  t: Teardown,
  env: TestEnv,
): Promise<{ jobs: Job[]; dump: (job: Job) => Promise<string> }> {
  const connection = redisConnection(t, env)
  const queue = openQueue(t, env, 'mail', connection)
  const jobs = await eventually(async () => {
    const found = await queue.getJobs(['waiting', 'active', 'delayed', 'failed', 'completed'])
    return found.length ? found : undefined
  })
  return {
    jobs,
    dump: async (job) => JSON.stringify(await connection.hgetall(`${env.config.queuePrefix}:mail:${job.id}`)),
  }
}
