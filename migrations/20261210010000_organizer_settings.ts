import { sql, type Kysely } from 'kysely'

// An account's console settings (issue 18, points 11 and 16): its IANA time zone (null: UTC) next to
// its language, and the indexes the console's dashboard reads by: the alerts still in progress and
// the webhook deliveries given up, newest first. Both sets stay small next to their tables.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organizers').addColumn('time_zone', 'text').execute()
  await sql`create index alerts_in_progress on alerts (id) where status in ('fanning-out', 'sending', 'paused')`.execute(
    db,
  )
  await sql`create index webhook_deliveries_failed on webhook_deliveries (settled_at desc) where status = 'failed'`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index webhook_deliveries_failed`.execute(db)
  await sql`drop index alerts_in_progress`.execute(db)
  await db.schema.alterTable('organizers').dropColumn('time_zone').execute()
}
