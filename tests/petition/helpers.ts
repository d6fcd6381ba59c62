// A live campaign with three targets (one platform-only) and signatures from three countries,
// some with their names public, and the console's confirm-and-send of a delivery.
import { randomBytes } from 'node:crypto'
import { parse } from 'csv-parse/sync'
import { flushCounts } from '../../src/modules/counts/service.ts'
import type { ConsoleClient, ReceivedMail, TestEnv } from '../helper.ts'
import { letterCampaign } from '../letters/fixture.ts'

export interface SignerSpec {
  name: string
  country: string
  comment?: string
  publicName?: boolean
  status?: 'confirmed' | 'pending' | 'invalidated'
}

/** 12 from Korea, 3 from China, 2 from the US (these 5 are "other"); a pending one not counted. */
export const signers: SignerSpec[] = [
  { name: '김민지', country: 'KR', comment: '가족을 돌려보내지 마세요', publicName: true },
  { name: 'Park Ji-ho', country: 'KR', comment: '=HYPERLINK("http://evil.example","x")', publicName: true },
  ...Array.from({ length: 10 }, (_, i) => ({ name: `Hidden Korean ${i}`, country: 'KR' })),
  { name: '王小明', country: 'CN', comment: '请让难民安全离开', publicName: true },
  { name: 'Secret Person', country: 'CN', comment: 'a private comment' },
  { name: '李华', country: 'CN', publicName: true },
  { name: 'Private American', country: 'US' },
  { name: 'Another Private', country: 'US', comment: 'mine only' },
  { name: 'Not Yet Confirmed', country: 'KR', publicName: true, status: 'pending' },
]

export async function petitionCampaign(env: TestEnv, slug: string) {
  const { ids } = await letterCampaign(env, slug)
  const campaign = await env.db.selectFrom('campaigns').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()
  for (const [i, s] of signers.entries()) {
    const status = s.status ?? 'confirmed'
    await env.db
      .insertInto('signatures')
      .values({
        campaign_id: campaign.id,
        name: s.name,
        email: `signer${i}@example.org`,
        email_key: `signer${i}@example.org`,
        country: s.country,
        comment: s.comment ?? null,
        public_name: s.publicName ?? false,
        wants_alerts: false,
        locale: 'en',
        status,
        confirm_nonce: randomBytes(16),
        confirm_expires_at: new Date(Date.now() + 86_400_000),
        confirmed_at: status === 'confirmed' ? new Date(Date.now() - (100 - i) * 1000) : null,
      })
      .execute()
    if (status === 'confirmed')
      await env.db.insertInto('signature_count_deltas').values({ campaign_id: campaign.id, delta: 1 }).execute()
  }
  await flushCounts(env.db)
  // ministry (zh), unification (ko), unhcr (en, platform only)
  return { campaignId: campaign.id, ministryId: ids[0]!, unificationId: ids[1]!, unhcrId: ids[2]! }
}

/** Opens the confirm page for a target; its form's click key. */
export async function openConfirm(client: ConsoleClient, slug: string, targetId: string) {
  const page = await client.get(`/admin/campaigns/${slug}/petition/${targetId}`)
  const click = /name="click" value="([^"]+)"/.exec(page.body)?.[1]
  if (!click) throw new Error(`no confirm form: ${page.statusCode}`)
  return { page, click }
}

export const attachment = (mail: ReceivedMail, type: string) => {
  const found = mail.parsed.attachments.find((a) => a.contentType.startsWith(type))
  if (!found) throw new Error(`no ${type} attachment`)
  return found
}

export function csvRows(content: Buffer): string[][] {
  const rows: string[][] = parse(content.toString('utf8').replace(/^\uFEFF/, ''))
  return rows
}
