import { sql, type Kysely } from 'kysely'

// A campaign's letter to its targets, one per language (issue 15): the template a supporter sends
// themselves (mailto, copy, print) or has the platform send, edited by organizers like the
// campaign's own texts.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('campaign_letters')
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('locale', 'text', (c) => c.notNull().check(sql`locale in ('en', 'ko', 'zh')`))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('campaign_letters_pkey', ['campaign_id', 'locale'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('campaign_letters').execute()
}
