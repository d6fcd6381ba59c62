import { sql, type SelectQueryBuilder } from 'kysely'
import type { Db, Trx } from '../../db/index.ts'
import type { CampaignStatus, Database } from '../../db/types.ts'
import { keyed, type KeyRequest } from '../paging.ts'

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
  'letters_sent',
  'created_at',
  'launched_at',
  'closed_at',
  'outcome',
  'embed_origins',
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
  embedOrigins: string[]
}

/** What a console edit changes: the slug and translations stay, and so does who created it. */
export type CampaignEdit = Omit<NewCampaign, 'slug' | 'translations' | 'createdBy' | 'embedOrigins'>

const textColumns = (c: CampaignEdit) => ({
  title: c.title,
  summary: c.summary,
  body: c.body,
  target: c.target,
  asks: JSON.stringify(c.asks),
  goal: c.goal,
  deadline: c.deadline,
  locale: c.locale,
})

/** Inserts unless the slug exists; returns undefined on a taken slug. */
export function insert(db: Db | Trx, c: NewCampaign) {
  return db
    .insertInto('campaigns')
    .values({
      slug: c.slug,
      ...textColumns(c),
      translations: JSON.stringify(c.translations),
      created_by: c.createdBy,
      embed_origins: c.embedOrigins,
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

/** Closes every live campaign whose deadline has passed. */
export function closeExpired(db: Db | Trx) {
  return db
    .updateTable('campaigns')
    .set({ status: 'closed', closed_at: sql<Date>`now()` })
    .where('status', '=', 'live')
    .where('deadline', '<=', sql<Date>`now()`)
    .returning(['id', 'slug'])
    .execute()
}

/** Locks the row a console edit reads and writes, so two edits do not interleave. */
export function lockBySlug(trx: Trx, slug: string) {
  return trx.selectFrom('campaigns').select(columns).where('slug', '=', slug).forUpdate().executeTakeFirst()
}

export function updateTexts(trx: Trx, id: string, c: CampaignEdit) {
  return trx
    .updateTable('campaigns')
    .set({ ...textColumns(c), updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirstOrThrow()
}

export function setTranslations(trx: Trx, id: string, translations: Record<string, unknown>) {
  return trx
    .updateTable('campaigns')
    .set({ translations: JSON.stringify(translations), updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirstOrThrow()
}

export function setEmbedOrigins(trx: Trx, id: string, origins: string[]) {
  return trx
    .updateTable('campaigns')
    .set({ embed_origins: origins, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirstOrThrow()
}

/** What the console's list of campaigns is searched by. */
export interface CampaignSearch {
  status?: CampaignStatus | undefined
  /** Words in the title, in any case. */
  text?: string | undefined
  /** When it was created: from `from`, before `before`. */
  from?: Date | undefined
  before?: Date | undefined
}

function searched<O>(q: SelectQueryBuilder<Database, 'campaigns', O>, f: CampaignSearch) {
  if (f.status) q = q.where('campaigns.status', '=', f.status)
  if (f.text) q = q.where('campaigns.title', 'ilike', `%${f.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
  if (f.from) q = q.where('campaigns.created_at', '>=', f.from)
  if (f.before) q = q.where('campaigns.created_at', '<', f.before)
  return q
}

export async function countSearched(db: Db, f: CampaignSearch) {
  const row = await searched(
    db.selectFrom('campaigns').select(sql<string>`count(*)`.as('n')),
    f,
  ).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** One page by key of the campaigns searched for, newest first, with live confirmed and pending counts. */
export function pageWithCounts(db: Db, f: CampaignSearch, page: KeyRequest, size: number) {
  const k = keyed('campaigns.created_at', 'campaigns.id', 'timestamptz', page)
  const q = db
    .selectFrom('campaigns')
    .select([
      'campaigns.id',
      'campaigns.slug',
      'campaigns.title',
      'campaigns.locale',
      'campaigns.status',
      'campaigns.deadline',
      'campaigns.goal',
      'campaigns.created_at',
    ])
    .select((eb) => [
      eb
        .selectFrom('signatures')
        .select(sql<string>`count(*)`.as('n'))
        .whereRef('signatures.campaign_id', '=', 'campaigns.id')
        .where('signatures.status', '=', 'confirmed')
        .where('signatures.held', '=', false)
        .as('confirmed'),
      eb
        .selectFrom('signatures')
        .select(sql<string>`count(*)`.as('n'))
        .whereRef('signatures.campaign_id', '=', 'campaigns.id')
        .where('signatures.status', '=', 'pending')
        .as('pending'),
    ])
    .select(k.sortKey)
  return searched(q, f)
    .where(k.where)
    .orderBy('campaigns.created_at', k.order)
    .orderBy('campaigns.id', k.order)
    .limit(size + 1)
    .execute()
}
