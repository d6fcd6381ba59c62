import { sql, type Kysely } from 'kysely'

// How many supporters said they sent the campaign's letter themselves ("I sent it myself"): one
// counter per campaign, never a row per click, so nothing says who wrote or from where.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('campaign_letter_counts')
    .addColumn('campaign_id', 'bigint', (c) => c.primaryKey().references('campaigns.id').onDelete('cascade'))
    .addColumn('self_sent', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('campaign_letter_counts').execute()
}
