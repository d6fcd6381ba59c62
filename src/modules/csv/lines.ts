// Reading a CSV of addresses one physical line at a time, in constant memory, so that one bad
// line costs that line only. csv-parse's streaming parser cannot recover from an unclosed quote
// (every later row becomes part of the quoted field) and keeps a 10 MB line whole: here a line
// is cut at its newline, one longer than MAX_LINE_BYTES is dropped as it streams past, and each
// line is parsed by csv-parse alone. A quoted field spanning lines is therefore refused, which an
// address list never needs.
import { Transform, type TransformCallback } from 'node:stream'
import { parse } from 'csv-parse/sync'

export const MAX_LINE_BYTES = 64 * 1024

export interface Line {
  /** 1-based, as an editor numbers it. */
  number: number
  /** undefined when the line was longer than MAX_LINE_BYTES. */
  text: string | undefined
  /** Bytes of input consumed up to the end of this line, for a progress bar. */
  bytes: number
}

const NEWLINE = 0x0a

/** Splits a byte stream into lines (LF or CRLF; a UTF-8 BOM dropped), in object mode with backpressure. */
export function lineSplitter(): Transform {
  let pending: Buffer[] = []
  let pendingSize = 0
  let tooLong = false
  let number = 0
  let bytes = 0
  const emit = (stream: Transform, tail: Buffer | undefined) => {
    number++
    let text: string | undefined
    if (!tooLong) {
      const whole = tail ? (pending.length ? Buffer.concat([...pending, tail]) : tail) : Buffer.concat(pending)
      text = whole.toString('utf8')
      if (number === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1)
      if (text.endsWith('\r')) text = text.slice(0, -1)
    }
    stream.push({ number, text, bytes } satisfies Line)
    pending = []
    pendingSize = 0
    tooLong = false
  }
  const keep = (part: Buffer) => {
    if (tooLong) return
    pendingSize += part.length
    if (pendingSize > MAX_LINE_BYTES) {
      tooLong = true
      pending = []
    } else pending.push(part)
  }
  return new Transform({
    readableObjectMode: true,
    // A few hundred lines ahead of the importer at most.
    readableHighWaterMark: 256,
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      let start = 0
      for (;;) {
        const at = chunk.indexOf(NEWLINE, start)
        if (at === -1) break
        bytes += at + 1 - start
        const part = chunk.subarray(start, at)
        if (!tooLong && pendingSize + part.length > MAX_LINE_BYTES) tooLong = true
        emit(this, tooLong ? undefined : Buffer.from(part))
        start = at + 1
      }
      if (start < chunk.length) {
        bytes += chunk.length - start
        keep(Buffer.from(chunk.subarray(start)))
      }
      done()
    },
    flush(done: TransformCallback) {
      if (pendingSize > 0 || tooLong) emit(this, undefined)
      done()
    },
  })
}

/**
 * The cells of one line, or undefined when its quoting is broken. A line without a quote is
 * split where csv-parse would split it, without the cost of a parser per line (a third of a
 * million-row import's time).
 */
export function cellsOf(text: string): string[] | undefined {
  if (!text.includes('"')) return text.split(',').map((c) => c.trim())
  try {
    const rows: string[][] = parse(text, { relax_quotes: true, relax_column_count: true, trim: true })
    return rows[0] ?? []
  } catch {
    return undefined
  }
}
