import { sql, type Kysely } from 'kysely'

// API tokens get a scope (`read` answers 403 to every change) and an optional expiry (issue 17).
// Tokens made before keep what they could do: write, no expiry.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('api_tokens')
    .addColumn('scope', 'text', (c) =>
      c
        .notNull()
        .defaultTo('write')
        .check(sql`scope in ('read', 'write')`),
    )
    .addColumn('expires_at', 'timestamptz')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_tokens').dropColumn('scope').dropColumn('expires_at').execute()
}
