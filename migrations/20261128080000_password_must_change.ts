import { sql, type Kysely } from 'kysely'

// A password someone else has seen (printed by organizer:create, or set for the account by the
// demo) must be replaced by the account's own at its first login: until then its sessions reach
// only the change-password screen. Accounts already in the database are forced only if they
// still hold the password organizer:create printed: every other way of setting one (an
// invitation, the account's own change) stamps password_changed_at.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('organizers')
    .addColumn('password_must_change', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute()
  await sql`update organizers set password_must_change = true
    where password_hash is not null and password_changed_at is null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organizers').dropColumn('password_must_change').execute()
}
