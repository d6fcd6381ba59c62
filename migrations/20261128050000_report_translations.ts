import { sql, type Kysely } from 'kysely'

// A report is written in one language (`locale`) and may carry its summary, place and province in
// the others (`translations`, keyed by locale), as campaigns do: readers of the tracker and of the
// alerts read them in their own language where an organizer has translated them.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('reports')
    .addColumn('locale', 'text', (c) =>
      c
        .notNull()
        .defaultTo('en')
        .check(sql`locale in ('en', 'ko', 'zh')`),
    )
    .addColumn('translations', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('reports').dropColumn('translations').dropColumn('locale').execute()
}
