// The CLI's CSV commands (issue 17, point 5): subscribers:import with a progress bar on a
// terminal, and the audited exports, streamed to a file or stdout. Messages go to stderr so that
// an export on stdout stays a clean file.
import { createReadStream, createWriteStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import cliProgress from 'cli-progress'
import type { Config } from './config.ts'
import type { Db } from './db/index.ts'
import type { SubscriberStatus } from './db/types.ts'
import type { Locale } from './locale.ts'
import { systemActor } from './modules/audit/service.ts'
import { exportConfirmedCsv } from './modules/signature-admin/service.ts'
import { exportSubscribersCsv } from './modules/subscribers/export.ts'
import { auditImport, importSubscribers, type ImportSummary } from './modules/subscribers/import.ts'
import type { SubscribeInput } from './modules/subscribers/service.ts'

const reasons = { quoting: 'broken quoting', address: 'not an email address', 'too-long': 'line too long' } as const

/** The summary as plain lines: what a person reads at the end, or a script greps. */
export function summaryLines(s: ImportSummary): string[] {
  const lines = [
    `lines read: ${s.lines}`,
    `imported: ${s.imported} (each sent a confirmation email; pending until confirmed)`,
    `already there: ${s.alreadyThere}`,
    `repeated in the file: ${s.repeated}`,
    `unsubscribed, bounced or complained (not written to): ${s.suppressed}`,
    `invalid rows: ${s.invalid}`,
  ]
  for (const { line, reason } of s.invalidLines) lines.push(`  line ${line}: ${reasons[reason]}`)
  if (s.invalid > s.invalidLines.length) lines.push(`  ...and ${s.invalid - s.invalidLines.length} more`)
  return lines
}

/** `--topic SLUG` follows a campaign, `--topic province:NAME` a province; none, every alert. */
export function topicsOf(values: string[]): SubscribeInput['topics'] {
  const campaigns = values.filter((v) => !v.startsWith('province:'))
  const provinces = values.filter((v) => v.startsWith('province:')).map((v) => v.slice('province:'.length))
  return { campaigns, provinces }
}

export async function importFile(
  db: Db,
  config: Config,
  file: string,
  options: { topics: SubscribeInput['topics']; locale: Locale; tty: boolean },
): Promise<ImportSummary> {
  const size = (await stat(file)).size
  const bar = options.tty
    ? new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: 'importing [{bar}] {percentage}% | {lines} lines | imported {imported} | invalid {invalid}',
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined
  bar?.start(size, 0, { lines: 0, imported: 0, invalid: 0 })
  try {
    const summary = await importSubscribers(db, config, createReadStream(file), {
      topics: options.topics,
      locale: options.locale,
      onProgress: (p) => bar?.update(p.bytes, { lines: p.lines, imported: p.imported, invalid: p.invalid }),
    })
    bar?.update(size, { lines: summary.lines, imported: summary.imported, invalid: summary.invalid })
    await auditImport(db, systemActor('cli'), summary)
    return summary
  } finally {
    bar?.stop()
  }
}

async function writeOut(stream: Readable, out: string | undefined) {
  await pipeline(stream, out ? createWriteStream(out) : process.stdout)
}

export async function exportSignatures(db: Db, slug: string, out: string | undefined) {
  const { stream } = await exportConfirmedCsv(db, systemActor('cli'), slug)
  await writeOut(stream, out)
}

export async function exportSubscribers(db: Db, statuses: readonly SubscriberStatus[], out: string | undefined) {
  const { stream, rows } = await exportSubscribersCsv(db, systemActor('cli'), statuses)
  await writeOut(stream, out)
  return rows
}
