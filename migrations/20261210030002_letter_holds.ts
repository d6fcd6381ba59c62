import { sql, type Kysely } from 'kysely'

// Holding or dropping a campaign's queued letters from one network or email domain (issue 15,
// "bad input and abuse"), as signatures are invalidated in bulk: one row per organizer's action,
// naming the letters it took. A held letter's sends wait, unsent, until the hold is released; a
// dropped letter's sends are stopped for good.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('letter_holds')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('organizer_id', 'bigint', (c) => c.references('organizers.id').onDelete('set null'))
    .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('hold', 'drop')`))
    // What matched, in words: a network's fingerprint or a domain; never an address or an IP hash.
    .addColumn('filter', 'jsonb', (c) => c.notNull())
    .addColumn('hit', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('released_at', 'timestamptz')
    .addColumn('released_by', 'bigint', (c) => c.references('organizers.id').onDelete('set null'))
    .execute()
  await db.schema
    .alterTable('letters')
    .addColumn('hold_id', 'bigint', (c) => c.references('letter_holds.id').onDelete('set null'))
    .execute()
  await db.schema
    .createIndex('letters_hold')
    .on('letters')
    .column('hold_id')
    .where(sql.ref('hold_id'), 'is not', null)
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('letters').dropColumn('hold_id').execute()
  await db.schema.dropTable('letter_holds').execute()
}
