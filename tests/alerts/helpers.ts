// Subscribers and reports for the alert tests, made through the real API and email links.
import type { TestEnv } from '../helper.ts'
import { eventually, organizerAuth } from '../helper.ts'

export const jilinReport = {
  occurredOn: '2021-07-14',
  place: { name: 'Changbai county', province: 'Jilin', country: 'CN' },
  peopleCount: 47,
  kind: 'detention',
  summary: 'At least 47 North Koreans held in Changbai county.',
  sourceName: 'Human Rights Watch',
  sourceUrl: 'https://www.hrw.org/news/2021/07/22/china-forcibly-return-refugees-north-korea',
  confidence: 'credible',
}

/** The first link under `path` in the newest email to `to`. */
export function linkIn(env: TestEnv, to: string, path: string): string {
  const mail = [...env.smtp.messages].reverse().find((m) => m.envelopeTo.includes(to))
  if (!mail) throw new Error(`no email to ${to}`)
  const match = new RegExp(`https?://[^/\\s]+(${path}[A-Za-z0-9_.-]+)`).exec(mail.parsed.text ?? '')
  if (!match) throw new Error(`no ${path} link in the email to ${to}`)
  return match[1]!
}

export function mailsTo(env: TestEnv, to: string) {
  return env.smtp.messages.filter((m) => m.envelopeTo.includes(to))
}

/** Subscribes through the API and confirms through the emailed link. */
export async function activeSubscriber(env: TestEnv, email: string, body: Record<string, unknown> = {}) {
  const before = mailsTo(env, email).length
  const res = await env.app.inject({ method: 'POST', url: '/api/v1/subscribers', payload: { email, ...body } })
  if (res.statusCode !== 202) throw new Error(`subscribe failed: ${res.body}`)
  await eventually(async () => mailsTo(env, email).length > before, 10_000, `confirm email to ${email}`)
  const confirmed = await env.app.inject({ method: 'POST', url: linkIn(env, email, '/alerts/confirm/') })
  if (!/Your alerts are on/.test(confirmed.body)) throw new Error(`confirm failed for ${email}`)
}

export async function publish(env: TestEnv, report: Record<string, unknown> = jilinReport) {
  const headers = { authorization: await organizerAuth(env.db) }
  const created = await env.app.inject({ method: 'POST', url: '/api/v1/reports', headers, payload: report })
  if (created.statusCode !== 201) throw new Error(`create report failed: ${created.body}`)
  const id = created.json().id as string
  const published = await env.app.inject({ method: 'POST', url: `/api/v1/reports/${id}/publish`, headers })
  if (published.statusCode !== 202) throw new Error(`publish failed: ${published.body}`)
  return { reportId: id, alertId: published.json().alert.id as string, headers }
}

export async function progressOf(env: TestEnv, alertId: string, headers: Record<string, string>) {
  return (await env.app.inject({ url: `/api/v1/alerts/${alertId}`, headers })).json<{
    status: string
    recipients: number
    sent: number
    failed: number
    suppressed: number
    queued: number
    cancelled: number
  }>()
}

export async function settled(env: TestEnv, alertId: string, headers: Record<string, string>) {
  return eventually(
    async () => {
      const p = await progressOf(env, alertId, headers)
      return p.status === 'done' || (p.recipients > 0 && p.queued === 0 && p.status !== 'fanning-out') ? p : undefined
    },
    20_000,
    `alert ${alertId} to finish`,
  )
}

/** A header as sent, unfolded (mailparser restructures the List-* headers). */
export function rawHeader(
  mail: { parsed: { headerLines: readonly { key: string; line: string }[] } },
  name: string,
): string | undefined {
  const line = mail.parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line
  return line
    ?.slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim()
}
