import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import nodemailer from 'nodemailer'
import type { Config } from '../config.ts'

export interface OutgoingMessage {
  to: string
  subject: string
  text: string
  html: string
  messageId: string
  headers?: Record<string, string>
}

export interface Mailer {
  send(message: OutgoingMessage): Promise<{ response: string }>
  close(): void
}

/**
 * SMTP through a pooled nodemailer transport when SMTP_URL is set; otherwise each message is
 * written as an .eml file under OUTBOX_DIR, which /dev/outbox lists in development.
 */
export function createMailer(config: Config): Mailer {
  const from = config.mailFrom
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
        const info = await transport.sendMail({ from, ...m })
        return { response: info.response }
      },
      close: () => transport.close(),
    }
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
  const dir = config.outboxDir
  return {
    async send(m) {
      const info = await transport.sendMail({ from, ...m })
      await mkdir(dir, { recursive: true })
      const file = `${Date.now()}-${m.messageId.replace(/[^a-z0-9.-]/gi, '_')}.eml`
      await writeFile(path.join(dir, file), info.message as Buffer)
      return { response: `written ${file}` }
    },
    close: () => transport.close(),
  }
}
