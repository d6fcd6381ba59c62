import { sql } from 'kysely'
import type { Db, Trx } from '../../db/index.ts'
import type { CampaignStatus } from '../../db/types.ts'

// Every column of campaigns is public once the campaign is live; none holds personal data.
const columns = [
  'id',
  'slug',
  'title',
  'summary',
  'body',
  'target',
  'asks',
  'goal',
  'deadline',
  'status',
  'locale',
  'translations',
  'signature_count',
  'created_at',
  'launched_at',
  'closed_at',
] as const

export function findBySlug(db: Db | Trx, slug: string) {
  return db.selectFrom('campaigns').select(columns).where('slug', '=', slug).executeTakeFirst()
}

export function listLive(db: Db) {
  return db
    .selectFrom('campaigns')
    .select(columns)
    .where('status', '=', 'live')
    .orderBy('launched_at', 'desc')
    .orderBy('id', 'desc')
    .limit(100)
    .execute()
}

export type CampaignRow = NonNullable<Awaited<ReturnType<typeof findBySlug>>>

export interface NewCampaign {
  slug: string
  title: string
  summary: string
  body: string
  target: string
  asks: string[]
  goal: number
  deadline: Date | null
  locale: string
  translations: Record<string, unknown>
  createdBy: string | null
}

/** Inserts unless the slug exists; returns undefined on a taken slug. */
export function insert(db: Db | Trx, c: NewCampaign) {
  return db
    .insertInto('campaigns')
    .values({
      slug: c.slug,
      title: c.title,
      summary: c.summary,
      body: c.body,
      target: c.target,
      asks: JSON.stringify(c.asks),
      goal: c.goal,
      deadline: c.deadline,
      locale: c.locale,
      translations: JSON.stringify(c.translations),
      created_by: c.createdBy,
    })
    .onConflict((oc) => oc.column('slug').doNothing())
    .returning(columns)
    .executeTakeFirst()
}

export function setStatus(db: Db | Trx, slug: string, from: CampaignStatus[], to: CampaignStatus) {
  return db
    .updateTable('campaigns')
    .set({
      status: to,
      ...(to === 'live' ? { launched_at: sql<Date>`coalesce(launched_at, now())`, closed_at: null } : {}),
      ...(to === 'closed' ? { closed_at: sql<Date>`now()` } : {}),
    })
    .where('slug', '=', slug)
    .where('status', 'in', from)
    .returning(columns)
    .executeTakeFirst()
}

/** Closes every live campaign whose deadline has passed; returns their slugs. */
export async function closeExpired(db: Db): Promise<string[]> {
  const rows = await db
    .updateTable('campaigns')
    .set({ status: 'closed', closed_at: sql<Date>`now()` })
    .where('status', '=', 'live')
    .where('deadline', '<=', sql<Date>`now()`)
    .returning('slug')
    .execute()
  return rows.map((r) => r.slug)
}
