// A campaign with targets and a letter in three languages, and the supporter's side of a letter.
import type { Locale } from '../../src/db/types.ts'
import { setLetter } from '../../src/modules/letters/templates.ts'
import { eventually, liveCampaign, organizerAuth, type ReceivedMail, type TestEnv } from '../helper.ts'

export const letterText = {
  en: { subject: 'Do not return the refugees', body: 'Dear Representative,\n\nPlease grant them safe passage.' },
  ko: { subject: '난민을 돌려보내지 마십시오', body: '담당자님께,\n\n안전한 통행을 허용해 주십시오.' },
  zh: { subject: '请不要遣返难民', body: '尊敬的部长：\n\n请给予他们安全通行。' },
} as const

export interface TargetSpec {
  name: string
  locale: Locale
  email?: string
  platformOnly?: boolean
}

export const ministry: TargetSpec = { name: 'Minister', locale: 'zh', email: 'mfa-demo@example.org' }
export const unhcr: TargetSpec = {
  name: 'Representative',
  locale: 'en',
  email: 'unhcr-demo@example.net',
  platformOnly: true,
}
export const noEmail: TargetSpec = { name: 'Embassy', locale: 'ko' }

/** A live campaign naming `targets` (made through the API), with the letter in en, ko and zh unless told. */
export async function letterCampaign(
  env: TestEnv,
  targets: TargetSpec[],
  { letter = true }: { letter?: boolean } = {},
): Promise<{ slug: string; campaignId: string; targetIds: string[] }> {
  const headers = { authorization: await organizerAuth(env.db) }
  const targetIds: string[] = []
  for (const spec of targets) {
    const created = await env.app.inject({
      method: 'POST',
      url: '/api/v1/targets',
      headers,
      payload: { organisation: `${spec.name} office`, country: 'CN', ...spec },
    })
    if (created.statusCode !== 201) throw new Error(`target: ${created.body}`)
    targetIds.push(created.json<{ id: string }>().id)
  }
  const slug = await liveCampaign(env, { targets: targetIds })
  const { id: campaignId } = await env.db
    .selectFrom('campaigns')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow()
  if (letter) await env.db.transaction().execute((trx) => setLetter(trx, campaignId, letterText))
  return { slug, campaignId, targetIds }
}

export const supporter = { name: 'Lee Su-jin', email: 'Sujin.Lee+letters@Example.org', country: 'KR', city: 'Seoul' }

export const write = (env: TestEnv, slug: string, payload: object, headers: Record<string, string> = {}) =>
  env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/letters`, payload, headers })

/** The confirm link's path in a letter confirmation. */
export function letterConfirmPath(mail: ReceivedMail): string {
  const match = /https?:\/\/[^/\s]+(\/letters\/confirm\/[A-Za-z0-9_.-]+)/.exec(mail.parsed.text ?? '')
  if (!match) throw new Error('no letter confirm link in the email')
  return match[1]!
}

/** Opens the link's page and presses its button, as a person does. */
export async function pressConfirm(env: TestEnv, path: string) {
  const page = await env.app.inject({ method: 'GET', url: path })
  const shown = /name="shown" value="([^"]+)"/.exec(page.body)?.[1]
  if (!shown) throw new Error(`no button on the confirm page: ${page.statusCode}`)
  return env.app.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `shown=${shown}`,
  })
}

/** Waits until the mail worker has finished with every outbox row (sent, decided or dropped). */
export const outboxSettled = (env: TestEnv) =>
  eventually(
    async () => {
      const open = await env.db.selectFrom('outbox').select('id').where('done_at', 'is', null).execute()
      return open.length === 0
    },
    15_000,
    'every outbox row done',
  )

/** Emails sent to targets so far (by envelope recipient). */
export const lettersTo = (env: TestEnv, address: string) =>
  env.smtp.messages.filter((m) => m.envelopeTo.includes(address))
