import { sql, type Kysely } from 'kysely'

// A change made by no organizer (the ticker closing a campaign, the retention purge, the CLI)
// names the process that made it, so the audit log never has an anonymous row. `not valid`: rows
// written before this had no name to give.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_log').addColumn('system_actor', 'text').execute()
  await sql`alter table audit_log add constraint audit_log_system_actor
    check ((via = 'system') = (system_actor is not null) and (via = 'system') = (actor_id is null)) not valid`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_log').dropColumn('system_actor').execute()
}
