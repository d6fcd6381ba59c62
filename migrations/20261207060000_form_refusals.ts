import { sql, type Kysely } from 'kysely'

// Public forms dropped as automated (a filled honeypot, sent too soon after rendering, a missing
// or forged render time): one counter per day, form, campaign and reason, for the console. No
// address, no IP hash: only how many. A subscription has no campaign: 0 in the unique key, since
// null would make every such row distinct (and `nulls not distinct` needs Postgres 15).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('form_refusals')
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('form', 'text', (c) => c.notNull().check(sql`form in ('signature', 'subscription')`))
    .addColumn('campaign_id', 'bigint', (c) => c.references('campaigns.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`reason in ('honeypot', 'too-fast', 'bad-stamp')`))
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await sql`create unique index form_refusals_key
    on form_refusals ((coalesce(campaign_id, 0)), day, form, reason)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('form_refusals').execute()
}
