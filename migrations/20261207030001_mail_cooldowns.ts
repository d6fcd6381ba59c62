import { sql, type Kysely } from 'kysely'

// When we last emailed a mailbox (its address without any +tag, on every domain) about one
// subject: one campaign's signature, the alerts, an erasure. Keyed by a keyed hash of the two,
// never the address, so that victim+1@, victim+2@... are one inbox to the email cooldown.
// outbox_id is the row that claimed it: a retried job of that row still sends.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mail_cooldowns')
    .addColumn('key', 'bytea', (c) => c.primaryKey())
    .addColumn('emailed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('outbox_id', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('mail_cooldowns_emailed_at').on('mail_cooldowns').column('emailed_at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mail_cooldowns').execute()
}
