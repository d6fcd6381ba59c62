// Signers and erasure requests for the erasure tests, made through the real pages and emails.
import type { ReceivedMail, TestEnv } from '../helper.ts'
import { confirmPath, eventually } from '../helper.ts'

export function mailsTo(env: TestEnv, to: string) {
  return env.smtp.messages.filter((m) => m.envelopeTo.some((a) => a.toLowerCase() === to.toLowerCase()))
}

/** Waits for the n-th email to `to` (1-based) and returns it. */
export async function nthMailTo(env: TestEnv, to: string, n: number, timeoutMs = 10_000): Promise<ReceivedMail> {
  return eventually(async () => mailsTo(env, to)[n - 1], timeoutMs, `email ${n} to ${to}`)
}

/** The erasure link's path in an email's plain-text part. */
export function erasePath(mail: ReceivedMail): string {
  const match = /https?:\/\/[^/\s]+(\/privacy\/erase\/[A-Za-z0-9_.-]+)/.exec(mail.parsed.text ?? '')
  if (!match) throw new Error('no erasure link in the email')
  return match[1]!
}

/** Signs through the API and, unless told not to, confirms through the emailed link. */
export async function sign(
  env: TestEnv,
  slug: string,
  signer: { name: string; email: string; country: string; alerts?: boolean; publicName?: boolean },
  options: { confirm?: boolean; headers?: Record<string, string> } = {},
) {
  const before = mailsTo(env, signer.email).length
  const res = await env.app.inject({
    method: 'POST',
    url: `/api/v1/campaigns/${slug}/signatures`,
    payload: signer,
    headers: options.headers ?? {},
  })
  if (res.statusCode !== 202) throw new Error(`sign failed: ${res.body}`)
  const mail = await nthMailTo(env, signer.email, before + 1)
  if (options.confirm === false) return
  const confirmed = await env.app.inject({ method: 'POST', url: confirmPath(mail) })
  if (!/your signature counts/.test(confirmed.body)) throw new Error(`confirm failed for ${signer.email}`)
}

/** Asks for an erasure link through the form, as a browser would. */
export function requestErasure(env: TestEnv, email: string) {
  return env.app.inject({
    method: 'POST',
    url: '/privacy/erase',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ email }).toString(),
  })
}

export async function signatureCount(env: TestEnv, slug: string): Promise<number> {
  const res = await env.app.inject({ url: `/api/v1/campaigns/${slug}` })
  return res.json<{ signatureCount: number }>().signatureCount
}

/** Waits until the count flusher has brought the public count to `n`. */
export function countReaches(env: TestEnv, slug: string, n: number) {
  return eventually(async () => (await signatureCount(env, slug)) === n, 5000, `a count of ${n} on ${slug}`)
}

/** Waits until the mail worker has handled every erasure request's outbox row. */
export function requestsSettled(env: TestEnv) {
  return eventually(
    async () => {
      const open = await env.db
        .selectFrom('outbox')
        .select('id')
        .where('kind', 'like', 'erasure.%')
        .where('done_at', 'is', null)
        .execute()
      return open.length === 0
    },
    10_000,
    'every erasure request handled',
  )
}
