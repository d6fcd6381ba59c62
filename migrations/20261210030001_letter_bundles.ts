import { sql, type Kysely } from 'kysely'

// Letters to a target as one email a day (issue 15, point 3): a target switched to the daily
// bundle gets, once a day, one email with the letters confirmed for it that day (UTC). A bundle is
// unique per (target, day); a letter's send joins the target's open bundle when confirmed, and the
// bundle is closed, queued and sent once after its day ends.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('targets')
    .addColumn('letter_bundle', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute()
  await db.schema
    .createTable('letter_bundles')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('target_id', 'bigint', (c) => c.notNull().references('targets.id'))
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('open')
        .check(sql`status in ('open', 'queued', 'sent', 'bounced', 'stopped')`),
    )
    .addColumn('letter_count', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .addUniqueConstraint('letter_bundles_target_day', ['target_id', 'day'])
    .execute()
  await db.schema
    .createIndex('letter_bundles_open')
    .on('letter_bundles')
    .column('day')
    .where(sql.ref('status'), '=', 'open')
    .execute()
  await db.schema
    .alterTable('letter_sends')
    .addColumn('bundle_id', 'bigint', (c) => c.references('letter_bundles.id'))
    .execute()
  await db.schema
    .createIndex('letter_sends_bundle')
    .on('letter_sends')
    .column('bundle_id')
    .where(sql.ref('bundle_id'), 'is not', null)
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('letter_sends').dropColumn('bundle_id').execute()
  await db.schema.dropTable('letter_bundles').execute()
  await db.schema.alterTable('targets').dropColumn('letter_bundle').execute()
}
