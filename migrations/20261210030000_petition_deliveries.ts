import { sql, type Kysely } from 'kysely'

// The petition delivered to a target (issue 15, point 4): one row per organizer's click, unique by
// the click's key, so a double submit or a retried request writes one row and sends one email.
// The mail worker fills in what was sent (the count) once the target's server took it; the
// campaign's public timeline shows the sent ones.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('petition_deliveries')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('target_id', 'bigint', (c) => c.notNull().references('targets.id'))
    .addColumn('click_key', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'bigint', (c) => c.references('organizers.id').onDelete('set null'))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('queued')
        .check(sql`status in ('queued', 'sent', 'bounced', 'stopped')`),
    )
    .addColumn('signature_count', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .addUniqueConstraint('petition_deliveries_click_key', ['click_key'])
    .execute()
  await db.schema
    .createIndex('petition_deliveries_campaign')
    .on('petition_deliveries')
    .columns(['campaign_id', 'created_at'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('petition_deliveries').execute()
}
