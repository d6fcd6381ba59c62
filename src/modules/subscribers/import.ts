// Bringing an existing supporter list in (issue 17, point 5): a CSV streamed line by line, in
// batches, each address new to us inserted pending with its confirmation email queued in the
// outbox, exactly as a subscription from the alerts page is: nobody is subscribed silently, and
// the mail worker sends the confirmations at the pace it keeps for every email (its domain pace
// and its back-off when the mail server pushes back), not all at once. A known address is left as
// it is and sent nothing; a suppressed one (unsubscribed, bounced, complained) is not written to.
import type { Readable } from 'node:stream'
import { z } from 'zod'
import type { Config } from '../../config.ts'
import type { Db } from '../../db/index.ts'
import { defaultLocale, toLocale, type Locale } from '../../locale.ts'
import { AppError } from '../../errors.ts'
import { randomNonce } from '../../security.ts'
import { record, type Actor } from '../audit/service.ts'
import { cellsOf, lineSplitter, type Line } from '../csv/lines.ts'
import { emailKey } from '../email-key.ts'
import * as subscribers from './repository.ts'
import { confirmationExpiry, resolveTopics, type SubscribeInput } from './service.ts'

/** Rows per statement: large enough to be quick, small enough to keep memory flat. */
const BATCH = 1000
/** Invalid lines listed by number in a summary; beyond them, only how many more. */
export const LISTED_INVALID = 100
/** Progress is reported after each batch, and at least every so many lines. */
const PROGRESS_LINES = 10_000

const address = z.string().max(254).pipe(z.email())

export type InvalidReason = 'quoting' | 'address' | 'too-long'

export interface ImportSummary {
  /** Lines read, the header and empty lines included. */
  lines: number
  /** New addresses, each now pending with a confirmation email queued. */
  imported: number
  /** Addresses we already had, left as they were. */
  alreadyThere: number
  /** Addresses that appeared earlier in this same file. */
  repeated: number
  /** Addresses that unsubscribed, bounced or complained: not written to. */
  suppressed: number
  invalid: number
  /** The first LISTED_INVALID invalid lines, by number. */
  invalidLines: { line: number; reason: InvalidReason }[]
}

export interface ImportProgress extends ImportSummary {
  bytes: number
}

export interface ImportOptions {
  /** Topics for every address; none means all alerts, as on the alerts page. */
  topics?: SubscribeInput['topics']
  /** The confirmation's language for rows without a locale or language cell. */
  locale?: Locale
  onProgress?: (progress: ImportProgress) => void | Promise<void>
  signal?: AbortSignal
}

/** A cell as our exports wrote it: a leading quote that neutralised a formula is not part of the address. */
const fromSpreadsheet = (cell: string | undefined) => {
  const text = (cell ?? '').trim()
  return /^'[=+\-@]/.test(text) ? text.slice(1) : text
}

interface Columns {
  email: number
  locale: number | undefined
}

/**
 * Which column holds the address: the one headed `email` (or `e-mail`), or the first column when
 * the first line is an address itself; the language from a `locale` or `language` column.
 */
function columnsOf(cells: string[]): { columns: Columns; header: boolean } {
  const names = cells.map((c) => c.trim().toLowerCase())
  const email = names.findIndex((n) => n === 'email' || n === 'e-mail')
  if (email >= 0) {
    const locale = names.findIndex((n) => n === 'locale' || n === 'language')
    return { columns: { email, locale: locale >= 0 ? locale : undefined }, header: true }
  }
  if (address.safeParse(cells[0]?.trim() ?? '').success)
    return { columns: { email: 0, locale: undefined }, header: false }
  throw new AppError('invalid_input', { file: 'error.import.noEmailColumn' })
}

/**
 * Imports the CSV read from `input` and returns what happened. Each batch is one statement, so a
 * failure midway (the database gone) leaves whole rows behind, each with its confirmation
 * queued, and running the same file again finishes the job: what was imported is then already
 * there. Throws before writing anything when no column holds addresses.
 */
export async function importSubscribers(
  db: Db,
  config: Config,
  input: Readable,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const topics = await resolveTopics(db, options.topics)
  const since = await subscribers.databaseNow(db)
  const fallbackLocale = options.locale ?? defaultLocale
  const summary: ImportProgress = {
    lines: 0,
    imported: 0,
    alreadyThere: 0,
    repeated: 0,
    suppressed: 0,
    invalid: 0,
    invalidLines: [],
    bytes: 0,
  }
  const invalid = (line: number, reason: InvalidReason) => {
    summary.invalid++
    if (summary.invalidLines.length < LISTED_INVALID) summary.invalidLines.push({ line, reason })
  }
  let columns: Columns | undefined
  let batch = new Map<string, { email: string; emailKey: string; locale: string; nonce: Buffer }>()

  let reportedAt = 0
  const flush = async () => {
    reportedAt = summary.lines
    const rows = [...batch.values()]
    batch = new Map()
    const suppressed = await subscribers.suppressedAmong(
      db,
      config.secretKey,
      rows.map((r) => r.emailKey),
    )
    const writable = rows.filter((r) => !suppressed.has(r.emailKey))
    summary.suppressed += rows.length - writable.length
    if (writable.length) {
      const { inserted, addedEarlier } = await subscribers.insertPendingBatch(
        db,
        writable,
        { ...topics, topicAll: topics.all, confirmExpiresAt: confirmationExpiry(config) },
        since,
      )
      summary.imported += inserted.size
      summary.repeated += addedEarlier.size
      summary.alreadyThere += writable.length - inserted.size - addedEarlier.size
    }
    await options.onProgress?.({ ...summary, invalidLines: [...summary.invalidLines] })
  }

  const lines = input.pipe(lineSplitter())
  input.once('error', (err) => lines.destroy(err))
  for await (const line of lines as AsyncIterable<Line>) {
    options.signal?.throwIfAborted()
    summary.lines = line.number
    summary.bytes = line.bytes
    if (line.text === undefined) {
      invalid(line.number, 'too-long')
      continue
    }
    if (line.text.trim() === '') continue
    const cells = cellsOf(line.text)
    if (!cells) {
      invalid(line.number, 'quoting')
      continue
    }
    if (!columns) {
      const found = columnsOf(cells)
      columns = found.columns
      if (found.header) continue
    }
    const parsed = address.safeParse(fromSpreadsheet(cells[columns.email]))
    if (!parsed.success) {
      invalid(line.number, 'address')
      continue
    }
    const key = emailKey(parsed.data)
    if (batch.has(key)) {
      summary.repeated++
      continue
    }
    const locale = columns.locale === undefined ? undefined : toLocale(cells[columns.locale])
    batch.set(key, { email: parsed.data, emailKey: key, locale: locale ?? fallbackLocale, nonce: randomNonce() })
    // Also every so many lines, so that a file of one address repeated still shows progress.
    if (batch.size >= BATCH || summary.lines - reportedAt >= PROGRESS_LINES) await flush()
  }
  if (!columns && summary.invalid === 0) throw new AppError('invalid_input', { file: 'error.import.empty' })
  await flush()
  const { bytes: _bytes, ...result } = summary
  return result
}

/** The import's record in the audit trail: counts only, never an address. */
export function auditImport(db: Db, actor: Actor, summary: ImportSummary, importId?: string) {
  return record(
    db,
    actor,
    'subscribers.import',
    { type: 'subscriber-import', id: importId },
    {
      lines: summary.lines,
      imported: summary.imported,
      alreadyThere: summary.alreadyThere,
      repeated: summary.repeated,
      suppressed: summary.suppressed,
      invalid: summary.invalid,
    },
  )
}
