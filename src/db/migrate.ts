import { promises as fs } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { FileMigrationProvider, Migrator } from 'kysely'
import type { Db } from './index.ts'

const migrationFolder = fileURLToPath(new URL('../../migrations', import.meta.url))

/** The migrations folder's migrator; tests also use it to step back to an older schema. */
export function migratorFor(db: Db) {
  return new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder }),
    // Work on parallel branches lands migrations out of timestamp order; each still runs once.
    allowUnorderedMigrations: true,
  })
}

/**
 * Applies pending migrations. Kysely's Postgres adapter takes a session-level advisory lock
 * (pg_advisory_lock, waiting up to an hour) around the run, so replicas can start together.
 * Throws on failure: a failed migration must stop the process with a non-zero exit.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const { error, results } = await migratorFor(db).migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error || failed) {
    const cause = error instanceof Error ? error.message : JSON.stringify(error ?? '')
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${cause}`.trim())
  }
  return (results ?? []).map((r) => r.migrationName)
}
