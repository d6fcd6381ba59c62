import { Kysely, PostgresDialect, type Transaction } from 'kysely'
import pg from 'pg'
import type { Database } from './types.ts'

export type Db = Kysely<Database>
export type Trx = Transaction<Database>

// int8 (bigint) stays a string: ids and counts can pass 2^53 in principle, and strings are safe.
// numeric count(*) results are cast explicitly where they are read.

export interface DbOptions {
  max?: number
  onPoolError?: (err: Error) => void
  /**
   * Postgres cancels a statement that runs longer (57014), so that a slow query or a lock held
   * too long answers a 503 rather than holding a connection for ever. 0 or unset: no limit,
   * which migrations use (a migration may rewrite a large table, and Kysely's advisory lock
   * waits while another process migrates).
   */
  statementTimeoutMs?: number
  /**
   * Postgres ends the session of a transaction left idle this long (a bug that forgot it), and
   * with it the locks it held. 0: no limit, for migrations, which run in one transaction.
   */
  idleInTransactionMs?: number
}

const IDLE_IN_TRANSACTION_MS = 60_000

/**
 * A new connection to a database that does not answer fails in 5 s (a 503) instead of holding
 * the request for the operating system's TCP timeout. Set on the client, not the pool: the
 * pool's own timeout would also cut the wait for a busy pool's free client, which is load, not
 * an outage.
 *
 * A checked-out client has no 'error' listener of the pool's, and one whose session Postgres
 * ends between two queries (an idle transaction cut off, a restart) emits 'error': without a
 * listener of its own that would end the process. Its user sees only the next query fail ("not
 * queryable"), and the pool drops the client when it is released, so the cause is reported
 * here; an idle client's error goes to the pool's listener instead.
 */
function connectingClient(report: (err: Error) => void) {
  return class ConnectingClient extends pg.Client {
    constructor(config?: pg.ClientConfig) {
      super({ ...config, connectionTimeoutMillis: 5000 })
      this.on('error', (err) => {
        if (this.listenerCount('error') === 1) report(err)
      })
    }
  }
}

/** One pool and one Kysely per process; the caller destroys it on shutdown. */
export function createDb(databaseUrl: string, options: DbOptions = {}): Db {
  const report = options.onPoolError ?? ((err: Error) => console.error(`postgres pool: ${err.message}`))
  // Sent as startup options, 0 included: pg leaves out a 0 of its own fields, and the session
  // would then take a default set on the role or the database.
  const statementMs = options.statementTimeoutMs ?? 0
  const idleMs = options.idleInTransactionMs ?? IDLE_IN_TRANSACTION_MS
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.max ?? 10,
    Client: connectingClient(report),
    options: `-c statement_timeout=${statementMs} -c idle_in_transaction_session_timeout=${idleMs}`,
  })
  // An idle client losing its connection (Postgres restart) must not crash the process.
  pool.on('error', report)
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
}

// Postgres is down, restarting or out of connections, rather than the query being wrong:
// connection failures (class 08), shutdown and startup (57P01-57P03), too many connections.
const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '53300',
])
// What pg says, without a code, when the server drops the connection or a new connection gets
// no answer in time ("timeout expired"); not "timeout exceeded when trying to connect", which is
// a busy pool's wait, load rather than an outage.
const unreachableMessages = /^(Connection terminated|Client has encountered a connection error|timeout expired$)/

/** Whether an error means the database cannot be reached now: a 503, not a 500. */
export function isDatabaseUnreachable(err: unknown): boolean {
  const e = (err ?? {}) as { code?: unknown; message?: unknown }
  if (typeof e.code === 'string' && (unreachableCodes.has(e.code) || e.code.startsWith('08'))) return true
  return typeof e.message === 'string' && unreachableMessages.test(e.message)
}

/**
 * Whether Postgres cancelled a statement that ran longer than statement_timeout (57014): the
 * database is busy, or a lock is held long, worth trying again shortly (a 503; a worker pauses).
 */
export function isDatabaseBusy(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '57014'
}

/** CREATE DATABASE when it is missing and the role may; a no-op otherwise. */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl)
  const name = decodeURIComponent(url.pathname.slice(1))
  if (!name) return
  url.pathname = '/postgres'
  const client = new pg.Client({ connectionString: url.toString() })
  try {
    await client.connect()
  } catch {
    return // cannot reach the maintenance database; the real connection will report the problem
  }
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name])
    if (rowCount === 0) {
      await client.query(`create database "${name.replaceAll('"', '""')}"`).catch((err: { code?: string }) => {
        // Created concurrently by another process: 42P04, or 23505 when both passed the
        // duplicate check and met on pg_database's unique index.
        if (err.code !== '42P04' && err.code !== '23505') throw err
      })
    }
  } finally {
    await client.end()
  }
}
