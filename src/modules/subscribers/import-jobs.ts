// An import started from the console: the upload is saved to a temporary file by the route, a
// row records the import, and the import runs in the web process that received the file (the
// file is there), writing its progress to the row for the console page to show. Stopping the
// process aborts it (the row says 'interrupted'); uploading the same file again finishes it, as
// what was imported is then already there.
import { createReadStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import type { Config } from '../../config.ts'
import type { Db } from '../../db/index.ts'
import type { SubscriberImportStatus } from '../../db/types.ts'
import { AppError } from '../../errors.ts'
import type { Locale } from '../../locale.ts'
import type { OrganizerActor } from '../audit/service.ts'
import { auditImport, importSubscribers, type ImportProgress } from './import.ts'
import * as imports from './import-repository.ts'

/** How often progress is written to the row at most. */
const PROGRESS_EVERY_MS = 500

export async function createImport(db: Db, actor: OrganizerActor, upload: { filename: string; bytes: number }) {
  const { id } = await imports.insertImport(db, {
    createdBy: actor.id,
    // A name as the browser sent it, for the organizer to recognise; Postgres refuses NUL and lone surrogates.
    filename: upload.filename.replace(/[\0\p{Cs}]/gu, '').slice(0, 200),
    bytesTotal: upload.bytes,
  })
  return id
}

/**
 * Runs an import created by createImport over its saved file, which it removes when done. Never
 * throws: what went wrong is written to the row (a message key when it is the file's fault).
 */
export async function runImport(
  db: Db,
  config: Config,
  actor: OrganizerActor,
  job: { id: string; path: string; locale: Locale },
  signal: AbortSignal,
  onError: (err: unknown) => void,
): Promise<SubscriberImportStatus> {
  let last = 0
  const progress = async (p: ImportProgress) => {
    if (Date.now() - last < PROGRESS_EVERY_MS) return
    last = Date.now()
    await imports.saveProgress(db, job.id, p)
  }
  try {
    const summary = await importSubscribers(db, config, createReadStream(job.path), {
      locale: job.locale,
      onProgress: progress,
      signal,
    })
    await imports.finish(db, job.id, 'done', { summary })
    await auditImport(db, actor, summary, job.id)
    return 'done'
  } catch (err) {
    const status = signal.aborted ? 'interrupted' : 'failed'
    const fileFault = err instanceof AppError && err.fields?.file
    const error =
      fileFault && typeof fileFault === 'string' ? fileFault : signal.aborted ? undefined : 'error.code.internal'
    if (!fileFault && !signal.aborted) onError(err)
    await imports.finish(db, job.id, status, { error }).catch(onError)
    return status
  } finally {
    await rm(job.path, { force: true })
  }
}

export async function importOf(db: Db, id: string) {
  const row = await imports.find(db, id)
  return row && withState(row)
}

export async function recentImports(db: Db) {
  return (await imports.recent(db, 10)).map(withState)
}

function withState<
  R extends { status: SubscriberImportStatus; stale: boolean; bytes_total: string; bytes_read: string },
>(row: R) {
  const total = Number(row.bytes_total)
  return {
    ...row,
    status: row.stale ? ('interrupted' as const) : row.status,
    percent: total ? Math.min(100, Math.floor((Number(row.bytes_read) * 100) / total)) : 100,
  }
}
