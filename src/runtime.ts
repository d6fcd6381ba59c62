// What every process entry does first: read config, make sure the database exists, migrate.
import type { Config } from './config.ts'
import { createDb, ensureDatabase, type Db } from './db/index.ts'
import { migrateToLatest } from './db/migrate.ts'

/**
 * Migrates on a connection of its own, without the statement and idle-transaction timeouts (a
 * migration may take long, and waits for another process's), then opens the process's pool. The
 * migration's session holds an advisory lock across statements: behind a pooler in transaction
 * mode it goes to Postgres itself (DATABASE_DIRECT_URL).
 */
export async function prepareDatabase(config: Config): Promise<Db> {
  await ensureDatabase(config.databaseDirectUrl)
  const migrating = createDb(config.databaseDirectUrl, { max: 1, idleInTransactionMs: 0 })
  try {
    await migrateToLatest(migrating)
  } finally {
    await migrating.destroy()
  }
  return createDb(config.databaseUrl, { statementTimeoutMs: config.statementTimeoutMs })
}
