import { type Kysely } from 'kysely'

// When we last emailed an address about a signature or a subscription: repeats within the
// cooldown send nothing, so nobody can use the forms to flood someone's inbox.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('signatures').addColumn('last_emailed_at', 'timestamptz').execute()
  await db.schema.alterTable('subscribers').addColumn('last_emailed_at', 'timestamptz').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('signatures').dropColumn('last_emailed_at').execute()
  await db.schema.alterTable('subscribers').dropColumn('last_emailed_at').execute()
}
