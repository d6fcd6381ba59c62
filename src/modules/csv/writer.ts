// CSV as spreadsheets read it, for every export of ours (signatures for a target, subscribers for
// an operator): csv-stringify with every cell quoted, CRLF, a BOM so Excel reads Korean and
// Chinese as UTF-8, and formula injection neutralised (OWASP): a cell that starts with = + - @
// (or a tab or carriage return) is prefixed with a single quote.
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { stringify, type Stringifier } from 'csv-stringify'

const FORMULA_START = /^[=+\-@\t\r]/

export function neutralise(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value
}

export type Cell = string | number | Date | null | undefined

/** A stream that takes rows of cells (after the header it writes itself) and gives CSV text. */
export function csvWriter(header: string[]): Stringifier {
  return stringify({
    bom: true,
    header: true,
    columns: header,
    quoted: true,
    quoted_empty: true,
    record_delimiter: 'windows',
    cast: {
      string: neutralise,
      number: (n) => neutralise(String(n)),
      date: (d) => d.toISOString(),
      boolean: (b) => (b ? 'true' : 'false'),
    },
  })
}

/**
 * Rows written through the CSV writer as its reader takes them (a slow download holds the
 * queries back); a failed query ends the stream with its error.
 */
export function csvStream(header: string[], rows: AsyncIterable<Cell[]>): Stringifier {
  const writer = csvWriter(header)
  pipeline(Readable.from(rows), writer).catch(() => {
    // pipeline has already destroyed the writer with the error, which its reader sees.
  })
  return writer
}

/** The whole CSV as one buffer, for an attachment: the same writer, so the same neutralising. */
export async function csvBuffer(header: string[], rows: Iterable<Cell[]>): Promise<Buffer> {
  const chunks: Buffer[] = []
  const writer = csvStream(
    header,
    (async function* () {
      yield* rows
    })(),
  )
  for await (const chunk of writer) chunks.push(Buffer.from(chunk as string | Buffer))
  return Buffer.concat(chunks)
}
