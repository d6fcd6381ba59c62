import type { Kysely } from 'kysely'

// A password someone else has seen (printed by organizer:create, or set for the account by the
// demo) must be replaced by the account's own at its first login: until then its sessions reach
// only the change-password screen. Accounts already in the database are not forced.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('organizers')
    .addColumn('password_must_change', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organizers').dropColumn('password_must_change').execute()
}
