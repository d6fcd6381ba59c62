// Many copies of one email that differ only per recipient (an alert's 100,000 sends): nodemailer
// builds the MIME once and each send swaps in its recipient's parts, instead of building every
// copy from scratch, which is about half of a send's CPU (docs/benchmarks.md, fan-out). The swap is
// made with nodemailer's own functions (its header encoding and folding, its choice of transfer
// encoding and its encoders) and proved before it is used: the prepared copy of a second sample
// must equal, byte for byte, what nodemailer builds for it. Where it does not, or a message is not
// like the samples (another subject or header, a body nodemailer would encode otherwise, a To that
// is not one address), the message is built in full as before.
import { randomBytes } from 'node:crypto'
import * as base64 from 'nodemailer/lib/base64'
import MailComposer from 'nodemailer/lib/mail-composer'
import { foldLines } from 'nodemailer/lib/mime-funcs'
import MimeNode from 'nodemailer/lib/mime-node'
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

// A copy's Date is its build's: past this age a message is built in full, with a Date of its own.
const MAX_AGE_MS = 2 * 60_000
const ASCII = /^[\x00-\x7f]*$/
// A header line as nodemailer writes one: printable ASCII, folded only by CRLF and a space or tab.
const HEADER_LINE = /^[\x20-\x7e]+(?:\r\n[ \t][\x20-\x7e]*)*$/
// One address and nothing else: no display name, group, comment or list, which nodemailer would
// write differently from the samples' bare address.
const ONE_ADDRESS = /^[^\s@<>()[\]",;:\\]+@[^\s@<>()[\]",;:\\]+$/

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

/** A header of `head` (the header block after a CRLF): its key as written, its whole (folded) line and where that starts. */
function headerLine(head: string, key: string): { key: string; line: string; at: number } | undefined {
  const start = head.toLowerCase().indexOf(`\r\n${key.toLowerCase()}:`)
  if (start < 0) return undefined
  let end = head.indexOf('\r\n', start + 2)
  while (end >= 0 && (head[end + 2] === ' ' || head[end + 2] === '\t')) end = head.indexOf('\r\n', end + 2)
  const line = head.slice(start + 2, end < 0 ? head.length : end)
  return { key: line.slice(0, key.length), line, at: start + 2 }
}

// nodemailer's encoders, as its content streams apply them to a whole string: 7bit is written as it
// is, its line breaks made CRLF.
const bodyEncodings: Record<string, (text: string) => string> = {
  'quoted-printable': (text) => qp.wrap(qp.encode(Buffer.from(text, 'utf8')), 76),
  base64: (text) => base64.wrap(base64.encode(Buffer.from(text, 'utf8')), 76),
  '7bit': (text) => text.replace(/\r?\n/g, '\r\n'),
}

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
  // A header as nodemailer's buildHeaders writes it: the value encoded by its rules for that key
  // (addresses normalised, words encoded), the line folded at 76.
  const encoder = new MimeNode(false, { baseBoundary })
  const headerOf = (key: string, value: (m: MessageParts) => unknown, check?: RegExp) => {
    const found = headerLine(head, key)
    if (!found) return false
    const make: Variable = (m) => {
      const v = value(m)
      if (typeof v !== 'string' || !v.trim() || (check && !check.test(v))) return undefined
      const line = foldLines(`${found.key}: ${encoder.encodeHeaderValue(key, v)}`, 76)
      return HEADER_LINE.test(line) ? line : undefined
    }
    if (make(a) !== found.line) return false
    // `head` starts with the CRLF it adds before the built message: its positions are 2 ahead.
    cuts.push({ at: found.at - 2, length: found.line.length, make })
    return true
  }
  if (!headerOf('To', (m) => m.to, ONE_ADDRESS)) return undefined
  if (!headerOf('Message-ID', (m) => m.messageId)) return undefined
  const keys = Object.keys(a.headers ?? {})
  if (keys.join() !== Object.keys(b.headers ?? {}).join()) return undefined
  for (const key of keys) {
    if (!headerOf(key, (m) => m.headers?.[key])) return undefined
  }

  // A body encoded as nodemailer encodes it: the transfer encoding it picks for that content
  // (7bit, quoted-printable or base64), which a copy must pick alike, as the part's headers say so.
  for (const field of ['text', 'html'] as const) {
    const decide = new MimeNode(field === 'text' ? 'text/plain' : 'text/html', { baseBoundary })
    const encodingOf = (content: unknown) =>
      typeof content === 'string' ? decide.setContent(content).getTransferEncoding() : undefined
    const transfer = encodingOf(a[field])
    const encode = transfer ? bodyEncodings[transfer] : undefined
    if (!encode) return undefined
    const ascii = ASCII.test(a[field])
    const body = encode(a[field])
    const at = onlyAt(builtA, body, headEnd)
    if (at === undefined) return undefined
    cuts.push({
      at,
      length: body.length,
      make: (m) => (encodingOf(m[field]) === transfer && ASCII.test(m[field]) === ascii ? encode(m[field]) : undefined),
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
      if (m.subject !== subject || m.attachments || Date.now() - date.getTime() > MAX_AGE_MS) return undefined
      for (const key of Object.keys(m.headers ?? {})) if (!keys.includes(key)) return undefined
      let out = ''
      try {
        for (const piece of pieces) {
          const part = typeof piece === 'string' ? piece : piece(m)
          if (part === undefined) return undefined
          out += part
        }
      } catch {
        return undefined // whatever a copy cannot be made of is built in full, where the error is told
      }
      return Buffer.from(out, 'latin1')
    },
  }
  const copyOfB = prepared.fill(b)
  return copyOfB && copyOfB.toString('latin1') === builtB ? prepared : undefined
}
