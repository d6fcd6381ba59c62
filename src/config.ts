// The one place that reads process.env. Everything else takes a Config.
import { isIP } from 'node:net'
import { z } from 'zod'
import { isCountryCode } from './i18n/countries.ts'

const DEV_SECRET = 'dev-only-secret-key-do-not-use-in-production-0000'

// Keys anyone can read: ours (the dev key, docker-compose's old placeholder) and the shapes of
// "fill this in". With a known key an IPv4 address's hash is reversed in 2^32 tries.
const KNOWN_KEYS = new Set([DEV_SECRET, 'CHANGE-ME-public-placeholder-not-a-secret-0000000000'])
const PLACEHOLDER = /change.?me|placeholder|not.?a.?secret|do.?not.?use|replace.?me|your.?secret|^(.)\1+$/i

/** Bits by the key's own character frequencies: a repeated or tiny alphabet scores low. */
function estimatedBits(key: string): number {
  const counts = new Map<string, number>()
  for (const c of key) counts.set(c, (counts.get(c) ?? 0) + 1)
  let perChar = 0
  for (const n of counts.values()) perChar -= (n / key.length) * Math.log2(n / key.length)
  return perChar * key.length
}

/** Whether a production SECRET_KEY is one anybody could guess. `openssl rand -hex 32` scores about 240. */
export function isWeakSecret(key: string): boolean {
  return KNOWN_KEYS.has(key) || PLACEHOLDER.test(key) || estimatedBits(key) < 96
}

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes')

// The countries the signing form lists first (ISO 3166-1 alpha-2); the rest are one link away.
// The default suits the founding case: where its supporters and the refugees' escape routes are.
const DEFAULT_FORM_COUNTRIES = 'KR,US,JP,GB,CA,AU,DE,FR,CN,TW,HK,MN,TH,LA,VN,RU,NZ,NL,SE,NO,CH,IE,IT,ES,BE,DK,FI,SG,PH'

const countryList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((c) => c.trim().toUpperCase())
      .filter(Boolean),
  )
  .refine((codes) => codes.length > 0 && codes.every(isCountryCode), 'must be comma-separated ISO 3166-1 alpha-2 codes')

// TRUST_PROXY: which X-Forwarded-For entries to believe. The left-most is whatever the client
// sent, so trust is counted from the right: `n` proxies (`true` = 1, the one TLS proxy of the
// deploy section), or only hops whose address is in the list (single addresses or CIDRs).
export type TrustProxy = false | number | readonly string[]

function isProxyAddress(entry: string): boolean {
  const [address = '', bits, ...rest] = entry.split('/')
  const version = isIP(address)
  if (!version || rest.length) return false
  if (bits === undefined) return true
  return /^\d+$/.test(bits) && Number(bits) >= 1 && Number(bits) <= (version === 4 ? 32 : 128)
}

const trustProxy = z.string().transform((value, ctx): TrustProxy => {
  const v = value.trim().toLowerCase()
  if (v === 'false' || v === 'no' || v === '0') return false
  if (v === 'true' || v === 'yes') return 1
  if (/^\d+$/.test(v)) return Number(v)
  const proxies = v
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
  if (proxies.length > 0 && proxies.every(isProxyAddress)) return Object.freeze(proxies)
  ctx.addIssue({
    code: 'custom',
    input: value,
    message: 'must be false, a number of proxies (true means 1), or comma-separated proxy addresses or CIDRs',
  })
  return z.NEVER
})

/**
 * Fastify's trustProxy for a TRUST_PROXY value. A hop count becomes a function, because Fastify
 * treats a bare number as "trust nothing" (it cannot check the immediate peer).
 */
export function trustProxyOption(trust: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  if (trust === false) return false
  if (typeof trust === 'number') return (_address, hop) => hop < trust
  return [...trust]
}

// MAIL_FROM: "Name <address>" or a bare address. Only its shape is checked (alerts@localhost is
// fine for development): a typo should stop the process, not fail every send.
const mailbox = z
  .string()
  .trim()
  .refine((v) => {
    const match = /^(?:[^<>]*<\s*([^<>\s]+)\s*>|([^<>\s]+))$/.exec(v)
    return /^[^\s@<>]+@[^\s@<>.][^\s@<>]*$/.test(match?.[1] ?? match?.[2] ?? '')
  }, 'must be an address, or a name and <address>')

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    METRICS_HOST: z.string().min(1).optional(),
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgres://postgres@127.0.0.1:5432/urgent_action'),
    // Behind a pooler in transaction mode (PgBouncer), DATABASE_URL is the pooler's and this is
    // Postgres itself, for the two things that need a session: migrations (Kysely's advisory lock)
    // and the workers' LISTEN.
    DATABASE_DIRECT_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
    SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
    MAIL_FROM: mailbox.default('Urgent Action <alerts@localhost>'),
    SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    OUTBOX_DIR: z.string().min(1).default('var/outbox'),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[a-z0-9_-]+$/i)
      .default('ua'),
    VIEW_CACHE: bool.optional(),
    DEV_OUTBOX: bool.default(false),
    REQUEST_TIMEOUT_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
    MAX_CONNECTIONS_PER_CLIENT: z.coerce.number().int().min(1).max(100_000).default(100),
    COUNT_FLUSH_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
    OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
    TRUST_PROXY: trustProxy.default(false),
    DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(20),
    SMTP_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(5),
    IPV6_PREFIX: z.coerce.number().int().min(32).max(128).default(64),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(30),
    EMAIL_COOLDOWN_SECONDS: z.coerce.number().int().min(0).max(86_400).default(600),
    FORM_MIN_SECONDS: z.coerce.number().int().min(0).max(600).default(3),
    MAIL_DOMAIN_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(120),
    LETTER_RATE_PER_HOUR: z.coerce.number().int().min(0).max(100_000).default(60),
    IMPORT_MAX_MB: z.coerce.number().int().min(1).max(1024).default(64),
    FANOUT_PAGE_SIZE: z.coerce.number().int().min(10).max(10_000).default(1000),
    JOB_LOCK_SECONDS: z.coerce.number().int().min(2).max(600).default(30),
    DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(15_000),
    CONFIRM_TOKEN_DAYS: z.coerce.number().int().min(1).max(90).default(7),
    SIGN_CHALLENGE_AFTER: z.coerce.number().int().min(0).max(1_000_000).default(5),
    SIGN_CHALLENGE_MAX_NUMBER: z.coerce.number().int().min(1).max(100_000_000).default(50_000),
    PENDING_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(7),
    IP_HASH_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    SESSION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    SESSION_MAX_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(12),
    INVITE_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 14)
      .default(72),
    FORM_COUNTRIES: countryList.default(countryList.parse(DEFAULT_FORM_COUNTRIES)),
    LOGIN_FAILS_PER_NETWORK: z.coerce.number().int().min(1).max(1000).default(10),
    LOGIN_FAILS_PER_ACCOUNT: z.coerce.number().int().min(1).max(100_000).default(30),
    LOGIN_FAILS_PER_NETWORK_DAY: z.coerce.number().int().min(1).max(1_000_000).default(100),
    LOGIN_DELAY_MS: z.coerce.number().int().min(0).max(10_000).default(250),
    WEBHOOK_ALLOW_PRIVATE: bool.default(false),
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(10_000),
    WEBHOOK_RETRY_MS: z.coerce.number().int().min(1).max(600_000).default(5000),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.SECRET_KEY) {
      ctx.addIssue({ code: 'custom', path: ['SECRET_KEY'], message: 'is required when NODE_ENV=production' })
    } else if (env.NODE_ENV === 'production' && env.SECRET_KEY && isWeakSecret(env.SECRET_KEY)) {
      ctx.addIssue({
        code: 'custom',
        path: ['SECRET_KEY'],
        message: 'is a known placeholder or too predictable for production; make one with `openssl rand -hex 32`',
      })
    }
    // Confirm, unsubscribe and erasure links carry their tokens in the URL: over plain HTTP any
    // network on the way can read and use them. Only this machine (docker compose's demo) may.
    const given = env.PUBLIC_URL ?? derivedPublicUrl(env.HOST, env.PORT)
    const publicUrl = URL.canParse(given) ? new URL(given) : undefined // else its own error says so
    if (
      publicUrl &&
      env.NODE_ENV === 'production' &&
      publicUrl.protocol !== 'https:' &&
      !LOCAL_HOSTS.has(publicUrl.hostname)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_URL'],
        message: 'must be https:// when NODE_ENV=production (localhost excepted)',
      })
    }
  })

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])
// Listening on loopback or on every interface: this machine's browser reaches it as localhost.
const LOCALHOST_ALIASES = new Set(['127.0.0.1', '::1', '0.0.0.0', '::', 'localhost'])

/** PUBLIC_URL when none is set: where the server listens, so `PORT=3555 npm run demo` links to 3555. */
function derivedPublicUrl(host: string, port: number): string {
  const name = LOCALHOST_ALIASES.has(host) ? 'localhost' : isIP(host) === 6 ? `[${host}]` : host
  return `http://${name}:${port}`
}

export type Config = Readonly<{
  env: 'development' | 'production' | 'test'
  port: number
  host: string
  /** Where this process serves Prometheus metrics; unset: not served. */
  metricsPort: number | undefined
  metricsHost: string
  publicUrl: string
  databaseUrl: string
  /** For migrations and LISTEN: a session of their own, not a pooler's transaction. */
  databaseDirectUrl: string
  redisUrl: string
  smtpUrl: string | undefined
  mailFrom: string
  secretKey: string
  logLevel: string
  outboxDir: string
  queuePrefix: string
  viewCache: boolean
  /**
   * /dev/outbox (every confirm and invite link, to loopback clients only) is mounted only when asked
   * for (DEV_OUTBOX, which `npm run demo` sets), mail goes to files and we are not in production.
   */
  devOutbox: boolean
  /** A request's headers and body must have arrived within this long (a slow sender is cut off). */
  requestTimeoutMs: number
  /** Open connections per client network (off behind a proxy: every socket is the proxy's). */
  maxConnectionsPerClient: number
  countFlushMs: number
  outboxPollMs: number
  confirmTokenDays: number
  /** Signatures through the form per client network per hour before the form asks for a proof of work. */
  signChallengeAfter: number
  /** The proof of work's search space: a browser tries half of it on average (one SHA-256 each). */
  signChallengeMaxNumber: number
  /** Unconfirmed signatures and subscribers, unsubscribed addresses and spent outbox rows go after this long. */
  pendingRetentionDays: number
  /** How long a signature keeps its network hash, for bulk invalidation; the retention run drops it after. */
  ipHashDays: number
  /** Alert and digest sends in flight per worker process. */
  deliveryConcurrency: number
  /** SMTP connections the pooled transport keeps open per process. */
  smtpPoolSize: number
  /** An IPv6 client is counted by this many leading bits of its address (a /64 by default); IPv4 by address. */
  ipv6Prefix: number
  /** Public writes that may send email (signing, subscribing, erasure), per client network per minute, all routes together. */
  rateLimitPerMinute: number
  /** Within this long of an email to a mailbox (+tags dropped) about one subject, another request sends none. */
  emailCooldownSeconds: number
  /** A public form sent sooner than this after it was rendered is dropped silently; 0 turns the check off. */
  formMinSeconds: number
  /** Emails of the mail queue (confirmations, erasure links...) per recipient domain per minute; 0 for no cap. */
  mailDomainPerMinute: number
  /** Letters the platform sends one target per hour, spread evenly, the rest waiting in order; 0 for no limit. */
  letterRatePerHour: number
  /** The largest CSV the console takes for a subscriber import; the CLI reads files of any size. */
  importMaxMb: number
  /** Subscribers per fan-out page: one delivery insert and one addBulk each. */
  fanoutPageSize: number
  /** How long a worker holds a job before others may take it as stalled (worker died). */
  jobLockSeconds: number
  /** Postgres cancels a statement running longer than this (a 503); 0 for none. Migrations have none. */
  statementTimeoutMs: number
  /** Console sessions end after this long without a request... */
  sessionIdleMinutes: number
  /** ...and this long after login, whatever happens. */
  sessionMaxHours: number
  /** How long an organizer invitation link works. */
  inviteHours: number
  /** Which X-Forwarded-For hops to believe: none, the nearest n, or those from these addresses. */
  trustProxy: TrustProxy
  /** The countries the signing form lists; the full list is behind a link. */
  formCountries: readonly string[]
  /** Webhook URLs may reach loopback, private, link-local and metadata addresses (for development only). */
  webhookAllowPrivate: boolean
  /** A webhook endpoint must answer within this long (10 s; tests shorten it). */
  webhookTimeoutMs: number
  /** The first retry of a failed webhook delivery waits this long, each next one twice as long. */
  webhookRetryMs: number
  /** Console login throttle (modules/accounts/throttle.ts); docs/operations.md says how they combine. */
  login: {
    /** Consecutive wrong passwords per (account, client network), or per trusted browser, before a lock. */
    failsPerNetwork: number
    /** Wrong passwords per account per hour from browsers without its device cookie. */
    failsPerAccount: number
    /** Wrong passwords per client network per day, whatever the account. */
    failsPerNetworkDay: number
    /** The first progressive delay after a wrong password; it doubles with each further one. */
    delayMs: number
  }
}>

export class ConfigError extends Error {}

/** Parses an environment; throws a ConfigError whose message is one line per bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  // An empty variable means "use the default", as in most twelve-factor apps.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
  const result = schema.safeParse(cleaned)
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
    throw new ConfigError(lines.join('\n'))
  }
  const e = result.data
  return Object.freeze({
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    metricsPort: e.METRICS_PORT,
    metricsHost: e.METRICS_HOST ?? e.HOST,
    publicUrl: (e.PUBLIC_URL ?? derivedPublicUrl(e.HOST, e.PORT)).replace(/\/+$/, ''),
    databaseUrl: e.DATABASE_URL,
    databaseDirectUrl: e.DATABASE_DIRECT_URL ?? e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    secretKey: e.SECRET_KEY ?? DEV_SECRET,
    logLevel: e.LOG_LEVEL,
    outboxDir: e.OUTBOX_DIR,
    queuePrefix: e.QUEUE_PREFIX,
    viewCache: e.VIEW_CACHE ?? e.NODE_ENV === 'production',
    devOutbox: e.DEV_OUTBOX && !e.SMTP_URL && e.NODE_ENV !== 'production',
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    maxConnectionsPerClient: e.MAX_CONNECTIONS_PER_CLIENT,
    countFlushMs: e.COUNT_FLUSH_MS,
    outboxPollMs: e.OUTBOX_POLL_MS,
    confirmTokenDays: e.CONFIRM_TOKEN_DAYS,
    signChallengeAfter: e.SIGN_CHALLENGE_AFTER,
    signChallengeMaxNumber: e.SIGN_CHALLENGE_MAX_NUMBER,
    pendingRetentionDays: e.PENDING_RETENTION_DAYS,
    ipHashDays: e.IP_HASH_DAYS,
    deliveryConcurrency: e.DELIVERY_CONCURRENCY,
    smtpPoolSize: e.SMTP_POOL_SIZE,
    ipv6Prefix: e.IPV6_PREFIX,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    emailCooldownSeconds: e.EMAIL_COOLDOWN_SECONDS,
    formMinSeconds: e.FORM_MIN_SECONDS,
    mailDomainPerMinute: e.MAIL_DOMAIN_PER_MINUTE,
    letterRatePerHour: e.LETTER_RATE_PER_HOUR,
    importMaxMb: e.IMPORT_MAX_MB,
    fanoutPageSize: e.FANOUT_PAGE_SIZE,
    jobLockSeconds: e.JOB_LOCK_SECONDS,
    statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionMaxHours: e.SESSION_MAX_HOURS,
    inviteHours: e.INVITE_HOURS,
    trustProxy: e.TRUST_PROXY,
    formCountries: Object.freeze(e.FORM_COUNTRIES),
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
    webhookTimeoutMs: e.WEBHOOK_TIMEOUT_MS,
    webhookRetryMs: e.WEBHOOK_RETRY_MS,
    login: Object.freeze({
      failsPerNetwork: e.LOGIN_FAILS_PER_NETWORK,
      failsPerAccount: e.LOGIN_FAILS_PER_ACCOUNT,
      failsPerNetworkDay: e.LOGIN_FAILS_PER_NETWORK_DAY,
      delayMs: e.LOGIN_DELAY_MS,
    }),
  })
}

/** For process entry points: parse process.env or exit with the one-line reasons. */
export function loadConfig(): Config {
  try {
    return parseConfig(process.env)
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const line of err.message.split('\n')) console.error(`config: ${line}`)
      process.exit(1)
    }
    throw err
  }
}
