import { sql, type Kysely } from 'kysely'

// The language an account reads the console in, for the emails sent to it unasked (a login lock):
// set at each login; until then the language its latest invitation was written in, else English.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organizers').addColumn('locale', 'text').execute()
  await sql`update organizers o set locale = (
      select i.locale from invitations i where i.organizer_id = o.id order by i.id desc limit 1
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organizers').dropColumn('locale').execute()
}
