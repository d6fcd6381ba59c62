import { sql, type Kysely } from 'kysely'

// A delivery row changes status twice (claimed, then sent). With `status` in an index every
// change wrote a new entry in all four of the table's indexes; without it, and with room left
// on each page, Postgres updates the row in place (a HOT update) and touches no index. An
// alert's rows are found through the unique (alert_id, subscriber_id) index.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('deliveries_alert_status').execute()
  await sql`alter table deliveries set (fillfactor = 50)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table deliveries reset (fillfactor)`.execute(db)
  await db.schema.createIndex('deliveries_alert_status').on('deliveries').columns(['alert_id', 'status']).execute()
}
