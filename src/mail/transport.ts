import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import nodemailer from 'nodemailer'
import addressparser from 'nodemailer/lib/addressparser'
import type { Config } from '../config.ts'
import type { Metrics } from '../metrics.ts'
import { prepareMail, type MessageParts, type PreparedMail } from './prepared.ts'

export interface OutgoingMessage extends MessageParts {
  /** What it is, for the metrics only (`alert`, `digest`, `signature.confirm`...); not sent. */
  kind?: string
  /** Its MIME built already with others like it (prepare()); where it does not fit, built in full. */
  prepared?: PreparedMail
}

/**
 * A failed send, as the rest of the app sees it: nodemailer's code and the SMTP reply and
 * enhanced status codes, never the server's words. Servers quote the recipient's address in
 * their refusals (`550 5.1.1 <kim@example.org>: Recipient address rejected`), and this message
 * goes on to logs, BullMQ's failed jobs in Redis and the deliveries and suppressions rows.
 */
export class SendFailure extends Error {
  override name = 'SendFailure'
  constructor(
    message: string,
    readonly responseCode: number | undefined,
    readonly code: string,
  ) {
    super(message)
  }
}

// Failures without an SMTP reply that the server coming back, or an operator, cures: the
// connection refused, dropped or timed out, TLS or login failing, an answer out of protocol.
const waitable = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EAUTH', 'EPROTOCOL', 'EMAXLIMIT'])

/** SMTP 5xx: the server refused for good (a hard bounce); retrying cannot help. */
export function isPermanent(err: unknown): err is SendFailure {
  return (
    err instanceof SendFailure && err.responseCode !== undefined && err.responseCode >= 500 && err.responseCode < 600
  )
}

/** A 4xx, or a connection that failed: worth waiting for. A 5xx or a message we built wrong is not. */
export function isTemporary(err: unknown): err is SendFailure {
  if (!(err instanceof SendFailure)) return false
  if (err.responseCode !== undefined) return err.responseCode >= 400 && err.responseCode < 500
  return waitable.has(err.code)
}

const ADDRESS = /[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+/g

/** Any address-like text replaced, for the server's words we do keep (a success reply). */
export function withoutAddresses(text: string): string {
  return text.replace(ADDRESS, '<address>')
}

export function sendFailure(err: unknown): SendFailure {
  const e = err as { code?: unknown; responseCode?: unknown; response?: unknown; message?: unknown }
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined
  const enhanced = typeof e.response === 'string' ? /\b[245]\.\d{1,3}\.\d{1,3}\b/.exec(e.response)?.[0] : undefined
  const code = typeof e.code === 'string' ? e.code : 'ESEND'
  const parts = [code, responseCode, enhanced].filter((p) => p !== undefined)
  // Without a reply the failure is the connection's (refused, timed out, TLS): say how, minus any address.
  if (responseCode === undefined && typeof e.message === 'string') parts.push(withoutAddresses(e.message).slice(0, 200))
  return new SendFailure(`smtp ${parts.join(' ')}`, responseCode, code)
}

export interface Mailer {
  send(message: OutgoingMessage): Promise<{ response: string }>
  /**
   * The MIME of many messages like these two samples (one email to many recipients), built once;
   * undefined when they cannot share it. A mailer without it builds every message in full.
   */
  prepare?(a: OutgoingMessage, b: OutgoingMessage): Promise<PreparedMail | undefined>
  close(): void
}

/**
 * What nodemailer is given for a message: its prepared MIME with the envelope, or the parts to
 * build; counted by how (a copy, or built in full: a share of full builds in an alert's kind says
 * its copies are refused).
 */
function mailOf(from: string, envelopeFrom: string, { kind, prepared, ...m }: OutgoingMessage, metrics?: Metrics) {
  const raw = prepared?.fill(m)
  metrics?.emailBuilds.inc({ kind: kind ?? 'other', how: raw ? 'copy' : 'full' })
  return raw ? { envelope: { from: envelopeFrom, to: m.to }, raw, messageId: m.messageId } : { from, ...m }
}

/**
 * SMTP through a pooled nodemailer transport when SMTP_URL is set; otherwise each message is
 * written as an .eml file under OUTBOX_DIR, which /dev/outbox lists in development.
 */
export function createMailer(config: Config, metrics?: Metrics): Mailer {
  const from = config.mailFrom
  const [sender] = addressparser(from, { flatten: true })
  const envelopeFrom = sender?.address ?? from
  const prepare = (a: OutgoingMessage, b: OutgoingMessage) => prepareMail(from, a, b)
  if (config.smtpUrl) {
    const url = new URL(config.smtpUrl)
    const transport = nodemailer.createTransport({
      pool: true,
      maxConnections: config.smtpPoolSize,
      maxMessages: Infinity,
      host: url.hostname,
      port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 587),
      secure: url.protocol === 'smtps:',
      auth: url.username
        ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
        : undefined,
      // A local relay without TLS is common in development; STARTTLS is used when offered.
      ignoreTLS: url.searchParams.get('tls') === 'off',
    })
    return {
      async send(m) {
        const kind = m.kind ?? 'other'
        const info = await transport.sendMail(mailOf(from, envelopeFrom, m, metrics)).catch((err: unknown) => {
          const failure = sendFailure(err)
          metrics?.mailed(kind, failure.responseCode, false)
          throw failure
        })
        metrics?.mailed(kind, undefined, true)
        return { response: withoutAddresses(info.response) }
      },
      prepare,
      close: () => transport.close(),
    }
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
  const dir = config.outboxDir
  return {
    async send(m) {
      const info = await transport.sendMail(mailOf(from, envelopeFrom, m, metrics))
      metrics?.mailed(m.kind ?? 'other', undefined, true)
      await mkdir(dir, { recursive: true })
      const file = `${Date.now()}-${m.messageId.replace(/[^a-z0-9.-]/gi, '_')}.eml`
      await writeFile(path.join(dir, file), info.message as Buffer)
      return { response: `written ${file}` }
    },
    prepare,
    close: () => transport.close(),
  }
}
