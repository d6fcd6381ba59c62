import { sql, type Kysely } from 'kysely'

// The origins (scheme, host, port) whose pages may frame a campaign's embeddable form (issue 16).
// None by default: the embed answers frame-ancestors 'none' until an organizer lists some.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('campaigns')
    .addColumn('embed_origins', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('campaigns').dropColumn('embed_origins').execute()
}
