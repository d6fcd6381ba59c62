// Signers and updates for the update tests, made through the real API and email links.
import type { TestEnv } from '../helper.ts'
import { confirmPath, eventually, organizerAuth } from '../helper.ts'
import { mailsTo } from '../alerts/helpers.ts'

/** Signs through the API in `lang` and confirms through the emailed link. */
export async function confirmedSigner(
  env: TestEnv,
  slug: string,
  email: string,
  options: { lang?: string; updates?: boolean; confirm?: boolean } = {},
) {
  const before = mailsTo(env, email).length
  const res = await env.app.inject({
    method: 'POST',
    url: `/api/v1/campaigns/${slug}/signatures`,
    headers: { 'accept-language': options.lang ?? 'en' },
    payload: {
      name: 'Signer',
      email,
      country: 'KR',
      ...(options.updates === undefined ? {} : { updates: options.updates }),
    },
  })
  if (res.statusCode !== 202) throw new Error(`sign failed: ${res.body}`)
  await eventually(async () => mailsTo(env, email).length > before, 10_000, `confirm email to ${email}`)
  if (options.confirm === false) return
  const confirmed = await env.app.inject({ method: 'POST', url: confirmPath(mailsTo(env, email).at(-1)!) })
  if (confirmed.statusCode !== 200) throw new Error(`confirm failed for ${email}`)
}

type PostedJson = {
  update: { id: string; kind: string; title: string; lang: string }
  alert: { id: string }
  error?: string
  fields?: Record<string, string>
}

export async function postUpdate(
  env: TestEnv,
  slug: string,
  body: Record<string, unknown>,
  auth?: string,
): Promise<{ status: number; json: PostedJson; headers: { authorization: string } }> {
  const headers = { authorization: auth ?? (await organizerAuth(env.db)) }
  const res = await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/updates`, headers, payload: body })
  return { status: res.statusCode, json: res.json(), headers }
}
