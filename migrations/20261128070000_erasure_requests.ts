import { type Kysely, sql } from 'kysely'

// Self-service erasure: a request for an address, whose emailed link erases what we hold for it.
// Frozen once landed: a change is a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('erasure_requests')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    // The normalised address the request is for, as signatures and subscribers key it. Cleared
    // when the link is used; a request for an address we hold nothing for is deleted outright.
    .addColumn('email_key', 'text')
    // Random; the emailed token is this nonce with an HMAC of it, like a confirm link, so the
    // table alone cannot erase anything.
    .addColumn('nonce', 'bytea', (c) => c.notNull().unique())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('emailed_at', 'timestamptz')
    .addColumn('used_at', 'timestamptz')
    .execute()
  await db.schema
    .createIndex('erasure_requests_email_key')
    .on('erasure_requests')
    .column('email_key')
    .where(sql.ref('email_key'), 'is not', null)
    .execute()
  // Erasure finds an address's signatures on every campaign; the unique index leads with the campaign.
  await db.schema.createIndex('signatures_email_key').on('signatures').column('email_key').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('signatures_email_key').execute()
  await db.schema.dropTable('erasure_requests').execute()
}
