// Many copies of one email that differ only per recipient (an alert's 100,000 sends): nodemailer
// builds the MIME once and each send swaps in its recipient's parts, instead of building every
// copy from scratch, which is about half of a send's CPU (docs/benchmarks.md, fan-out). The swap is
// proved before it is used: the prepared copy of a second sample must equal, byte for byte, what
// nodemailer builds for it; where it does not, or a message is not like the samples, the message
// is built in full as before.
import { randomBytes } from 'node:crypto'
import * as base64 from 'nodemailer/lib/base64'
import MailComposer from 'nodemailer/lib/mail-composer'
import * as qp from 'nodemailer/lib/qp'

/** What a message is made of (transport.ts's MessageParts carries these and more). */
export interface MessageParts {
  to: string
  subject: string
  text: string
  html: string
  messageId: string
  headers?: Record<string, string>
  /** Files sent with it (a delivered petition's PDF and CSV). */
  attachments?: { filename: string; content: Buffer; contentType: string }[]
}

/** A message's MIME, built once: `fill` makes one recipient's copy, or undefined to build it in full. */
export interface PreparedMail {
  fill(message: MessageParts): Buffer | undefined
}

type Variable = (m: MessageParts) => string | undefined
type Piece = string | Variable

// A value spliced as nodemailer would write it, unencoded: printable ASCII only, so nothing a
// recipient's value holds (a line break above all) can add a header.
const PLAIN = /^[\x20-\x7e]*$/
const ASCII = /^[\x00-\x7f]*$/
// A word of a header value: printable ASCII without a space.
const WORD = /^[\x21-\x7e]+$/
// An address nodemailer writes as it is: no display name, no comment, an ASCII domain.
const SIMPLE_ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+$/

function build(from: string, m: MessageParts, date: Date, baseBoundary: string): Promise<string> {
  const mail = new MailComposer({
    from,
    to: m.to,
    subject: m.subject,
    text: m.text,
    html: m.html,
    headers: m.headers,
    messageId: m.messageId,
    date,
    baseBoundary,
  })
  return new Promise((resolve, reject) =>
    mail.compile().build((err, message) => (err ? reject(err) : resolve(message.toString('latin1')))),
  )
}

/** Where `needle` is in `haystack`, if it is there exactly once. */
function onlyAt(haystack: string, needle: string, from = 0): number | undefined {
  const at = haystack.indexOf(needle, from)
  return at >= 0 && haystack.indexOf(needle, at + 1) < 0 ? at : undefined
}

/** A header of the built message: its key as written and its whole (folded) line. */
function headerLine(head: string, key: string): { key: string; line: string } | undefined {
  const start = head.toLowerCase().indexOf(`\r\n${key.toLowerCase()}:`)
  if (start < 0) return undefined
  let end = head.indexOf('\r\n', start + 2)
  while (end >= 0 && (head[end + 2] === ' ' || head[end + 2] === '\t')) end = head.indexOf('\r\n', end + 2)
  const line = head.slice(start + 2, end < 0 ? head.length : end)
  return { key: line.slice(0, key.length), line }
}

const bodyEncodings: ((text: string) => string)[] = [
  (text) => qp.wrap(qp.encode(Buffer.from(text, 'utf8')), 76),
  (text) => base64.wrap(base64.encode(Buffer.from(text, 'utf8')), 76),
  (text) => text.replace(/\r?\n/g, '\r\n'),
]

/**
 * Prepares the MIME of messages like `a` and `b` (two recipients' copies of one email: same
 * subject and content but for their links, addresses and Message-IDs), or answers undefined when
 * they cannot share one build. Copies carry the Date and MIME boundary of this call.
 */
export async function prepareMail(from: string, a: MessageParts, b: MessageParts): Promise<PreparedMail | undefined> {
  if (a.attachments || b.attachments || a.subject !== b.subject) return undefined
  const date = new Date()
  const baseBoundary = randomBytes(8).toString('hex')
  const [builtA, builtB] = await Promise.all([build(from, a, date, baseBoundary), build(from, b, date, baseBoundary)])
  const headEnd = builtA.indexOf('\r\n\r\n')
  if (headEnd < 0) return undefined
  const head = `\r\n${builtA.slice(0, headEnd)}`

  // Each variable part: where it is in builtA, how long, and how to make it for another message.
  const cuts: { at: number; length: number; make: Variable }[] = []
  const headerOf = (key: string, value: (m: MessageParts) => string | undefined, check: RegExp) => {
    const found = headerLine(head, key)
    const words = value(a)?.split(' ')
    if (!found || !words) return false
    // The line as nodemailer folded it: each word of the value after a space or a line break.
    const folds = [...found.line.slice(found.key.length + 1).matchAll(/( |\r\n[ \t])(\S+)/g)]
    const seps = folds.map((f) => f[1]!)
    if (folds.map((f) => f[2]).join(' ') !== words.join(' ')) return false
    const make: Variable = (m) => {
      const v = value(m)
      if (v === undefined || !check.test(v)) return undefined
      const ws = v.split(' ')
      if (ws.length !== seps.length || ws.some((w) => !WORD.test(w))) return undefined
      return found.key + ':' + ws.map((w, i) => seps[i] + w).join('')
    }
    if (make(a) !== found.line) return false
    cuts.push({ at: head.indexOf(found.line) - 2, length: found.line.length, make })
    return true
  }
  if (!headerOf('To', (m) => m.to, SIMPLE_ADDRESS)) return undefined
  if (!headerOf('Message-ID', (m) => m.messageId, PLAIN)) return undefined
  const keys = Object.keys(a.headers ?? {})
  if (keys.join() !== Object.keys(b.headers ?? {}).join()) return undefined
  for (const key of keys) {
    if (!headerOf(key, (m) => m.headers?.[key], PLAIN)) return undefined
  }

  for (const field of ['text', 'html'] as const) {
    const sample = a[field]
    const ascii = ASCII.test(sample)
    const encoding = bodyEncodings.find((encode) => onlyAt(builtA, encode(sample), headEnd) !== undefined)
    if (!encoding) return undefined
    const body = encoding(sample)
    // A copy keeps the part's headers: its charset is there only for non-ASCII content.
    cuts.push({
      at: onlyAt(builtA, body, headEnd)!,
      length: body.length,
      make: (m) => (ASCII.test(m[field]) === ascii ? encoding(m[field]) : undefined),
    })
  }

  cuts.sort((x, y) => x.at - y.at)
  const pieces: Piece[] = []
  let pos = 0
  for (const cut of cuts) {
    if (cut.at < pos) return undefined
    pieces.push(builtA.slice(pos, cut.at), cut.make)
    pos = cut.at + cut.length
  }
  pieces.push(builtA.slice(pos))
  // What the copies share but do not check for themselves: the subject.
  const subject = a.subject

  const prepared: PreparedMail = {
    fill(m) {
      if (m.subject !== subject || m.attachments) return undefined
      for (const key of Object.keys(m.headers ?? {})) if (!keys.includes(key)) return undefined
      let out = ''
      for (const piece of pieces) {
        if (typeof piece === 'string') {
          out += piece
          continue
        }
        const part = piece(m)
        if (part === undefined) return undefined
        out += part
      }
      return Buffer.from(out, 'latin1')
    },
  }
  const copyOfB = prepared.fill(b)
  return copyOfB && copyOfB.toString('latin1') === builtB ? prepared : undefined
}
