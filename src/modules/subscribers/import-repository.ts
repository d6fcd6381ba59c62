import { sql } from 'kysely'
import type { Db } from '../../db/index.ts'
import type { SubscriberImportStatus } from '../../db/types.ts'
import type { ImportProgress, ImportSummary } from './import.ts'

export function insertImport(db: Db, row: { createdBy: string | null; filename: string; bytesTotal: number }) {
  return db
    .insertInto('subscriber_imports')
    .values({ created_by: row.createdBy, filename: row.filename, bytes_total: row.bytesTotal })
    .returning('id')
    .executeTakeFirstOrThrow()
}

const counts = (s: ImportSummary) => ({
  lines: s.lines,
  imported: s.imported,
  already_there: s.alreadyThere,
  repeated: s.repeated,
  suppressed: s.suppressed,
  invalid: s.invalid,
  invalid_lines: JSON.stringify(s.invalidLines),
})

export function saveProgress(db: Db, id: string, p: ImportProgress) {
  return db
    .updateTable('subscriber_imports')
    .set({ ...counts(p), bytes_read: p.bytes, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute()
}

export function finish(
  db: Db,
  id: string,
  status: Exclude<SubscriberImportStatus, 'running'>,
  outcome: { summary?: ImportSummary; error?: string },
) {
  return db
    .updateTable('subscriber_imports')
    .set({
      ...(outcome.summary ? counts(outcome.summary) : {}),
      ...(status === 'done' ? { bytes_read: sql<number>`bytes_total` } : {}),
      status,
      error: outcome.error ?? null,
      updated_at: sql<Date>`now()`,
      finished_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .execute()
}

const columns = [
  'id',
  'filename',
  'status',
  'bytes_total',
  'bytes_read',
  'lines',
  'imported',
  'already_there',
  'repeated',
  'suppressed',
  'invalid',
  'invalid_lines',
  'error',
  'created_at',
  'finished_at',
] as const

/** A running import whose process has said nothing for this long died with it. */
const STALE = sql<boolean>`status = 'running' and updated_at < now() - interval '10 minutes'`

export function find(db: Db, id: string) {
  return db
    .selectFrom('subscriber_imports')
    .select(columns)
    .select(STALE.as('stale'))
    .where('id', '=', id)
    .executeTakeFirst()
}

export function recent(db: Db, limit: number) {
  return db
    .selectFrom('subscriber_imports')
    .select(columns)
    .select(STALE.as('stale'))
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}
