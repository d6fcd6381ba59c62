// What every process entry does first: read config, make sure the database exists, migrate.
import type { Config } from './config.ts'
import { createDb, ensureDatabase, type Db } from './db/index.ts'
import { migrateToLatest } from './db/migrate.ts'

export async function prepareDatabase(config: Config): Promise<Db> {
  await ensureDatabase(config.databaseUrl)
  const db = createDb(config.databaseUrl)
  try {
    await migrateToLatest(db)
  } catch (err) {
    await db.destroy()
    throw err
  }
  return db
}
