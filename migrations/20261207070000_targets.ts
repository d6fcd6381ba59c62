import { sql, type Kysely } from 'kysely'

// The people and bodies a campaign asks to act (issue 15). A target's email is for the platform's
// letters and, unless platform_only, for the campaign page's mailto links; never for the API's
// public Campaign. Archived targets stay for the campaigns and audit rows that name them.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('targets')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('organisation', 'text', (c) => c.notNull())
    .addColumn('country', 'char(2)', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull().check(sql`locale in ('en', 'ko', 'zh')`))
    .addColumn('email', 'text')
    .addColumn('postal_address', 'text')
    .addColumn('website', 'text')
    // A contact the organisation must not publish: letters reach it only through the platform.
    .addColumn('platform_only', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_by', 'bigint', (c) => c.references('organizers.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('archived_at', 'timestamptz')
    .execute()

  // A campaign's targets in the order it lists them.
  await db.schema
    .createTable('campaign_targets')
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('target_id', 'bigint', (c) => c.notNull().references('targets.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_targets_pkey', ['campaign_id', 'target_id'])
    .execute()
  await db.schema.createIndex('campaign_targets_target').on('campaign_targets').column('target_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('campaign_targets').execute()
  await db.schema.dropTable('targets').execute()
}
