import { sql, type Kysely } from 'kysely'

// Who runs this installation (issue 18 point 8): one row, set by an admin in the console and shown
// on the public About page, with the contact address the privacy page names too.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('site_about')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('organisation', 'text', (c) => c.notNull())
    .addColumn('contact_email', 'text', (c) => c.notNull())
    // Per language: { "en": "...", "ko": "...", "zh": "..." }; a missing one falls back to another.
    .addColumn('texts', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('site_about').execute()
}
