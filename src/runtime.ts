// What every process entry does first: read config, make sure the database exists, migrate.
import type { Config } from './config.ts'
import { createDb, ensureDatabase, type Db } from './db/index.ts'
import { migrateToLatest } from './db/migrate.ts'

/**
 * Migrates on a connection of its own, without the statement and idle-transaction timeouts (a
 * migration may take long, and waits for another process's), then opens the process's pool.
 */
export async function prepareDatabase(config: Config): Promise<Db> {
  await ensureDatabase(config.databaseUrl)
  const migrating = createDb(config.databaseUrl, { max: 1, idleInTransactionMs: 0 })
  try {
    await migrateToLatest(migrating)
  } finally {
    await migrating.destroy()
  }
  return createDb(config.databaseUrl, { statementTimeoutMs: config.statementTimeoutMs })
}
