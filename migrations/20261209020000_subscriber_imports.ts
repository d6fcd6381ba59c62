import { sql, type Kysely } from 'kysely'

// A supporter list uploaded in the console (issue 17, point 5): one row per import, its progress
// written as it runs so that the console can show it, and its summary once done. Counts and line
// numbers only: the addresses go to `subscribers`, never here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('subscriber_imports')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('created_by', 'bigint', (c) => c.references('organizers.id').onDelete('set null'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('running')
        .check(sql`status in ('running', 'done', 'failed', 'interrupted')`),
    )
    .addColumn('bytes_total', 'bigint', (c) => c.notNull())
    .addColumn('bytes_read', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('lines', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('imported', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('already_there', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('repeated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('suppressed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('invalid', 'integer', (c) => c.notNull().defaultTo(0))
    // [{ line, reason }], the first hundred.
    .addColumn('invalid_lines', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    // A message key when it failed: why, in the reader's language.
    .addColumn('error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('subscriber_imports_created').on('subscriber_imports').column('created_at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('subscriber_imports').execute()
}
