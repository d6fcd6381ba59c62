import { sql, type Kysely } from 'kysely'

// A signature from a network past its signing budget that came without the proof of work (no
// JavaScript) is kept but held: it adds nothing to the count, the export or the public names
// until an organizer accepts it. The partial index is the console's review queue.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('signatures')
    .addColumn('held', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute()
  await sql`create index signatures_held on signatures (campaign_id, id) where held`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index signatures_held`.execute(db)
  await db.schema.alterTable('signatures').dropColumn('held').execute()
}
