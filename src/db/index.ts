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
}

/** One pool and one Kysely per process; the caller destroys it on shutdown. */
export function createDb(databaseUrl: string, options: DbOptions = {}): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.max ?? 10 })
  // An idle client losing its connection (Postgres restart) must not crash the process.
  pool.on('error', options.onPoolError ?? ((err) => console.error(`postgres pool: ${err.message}`)))
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
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
