import { type Kysely, sql } from 'kysely'

// The organizer console: server-side sessions, invitations, an append-only audit log, and
// reversible bulk invalidation of signatures. Frozen once landed: a change is a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  // Only a SHA-256 of the session id is stored: a copy of the table cannot be replayed as cookies.
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('id_hash', 'bytea', (c) => c.notNull().unique())
    .addColumn('organizer_id', 'bigint', (c) => c.notNull().references('organizers.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // The absolute end, fixed at login; the idle end is last_seen_at plus the configured minutes.
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('sessions_organizer').on('sessions').column('organizer_id').execute()

  // An invitation link is a nonce and its HMAC under SECRET_KEY, like a confirm link: the table
  // alone cannot produce a working link, and the mail worker can rebuild it from the nonce.
  await db.schema
    .createTable('invitations')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('organizer_id', 'bigint', (c) => c.notNull().references('organizers.id').onDelete('cascade'))
    .addColumn('nonce', 'bytea', (c) => c.notNull().unique())
    .addColumn('invited_by', 'bigint', (c) => c.references('organizers.id').onDelete('set null'))
    // The inviter's language at the time, for the email: organizers have no language of their own.
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('invitations_organizer').on('invitations').column('organizer_id').execute()

  await db.schema.alterTable('organizers').addColumn('password_changed_at', 'timestamptz').execute()

  // Who did what to which object, when. Actors are never deleted (accounts are disabled), so the
  // reference needs no ON DELETE action, which would otherwise be an UPDATE the trigger refuses.
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor_id', 'bigint', (c) => c.references('organizers.id'))
    .addColumn('via', 'text', (c) => c.notNull().check(sql`via in ('console', 'api', 'system')`))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text')
    // Ids, counts and filter shapes only; never an address or a name of a signer.
    .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute()
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute()
  await sql`
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
    end $$`.execute(db)
  await sql`
    create trigger audit_log_no_update_delete before update or delete on audit_log
    for each row execute function audit_log_append_only()`.execute(db)
  await sql`
    create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_append_only()`.execute(db)

  // A bulk invalidation is one row; the signatures it hit point at it, so it can be undone exactly.
  await db.schema
    .createTable('invalidations')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('organizer_id', 'bigint', (c) => c.references('organizers.id').onDelete('set null'))
    .addColumn('filter', 'jsonb', (c) => c.notNull())
    .addColumn('hit', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('restored_at', 'timestamptz')
    .addColumn('restored_by', 'bigint', (c) => c.references('organizers.id').onDelete('set null'))
    .execute()
  await db.schema.createIndex('invalidations_campaign').on('invalidations').column('campaign_id').execute()

  await sql`alter table signatures drop constraint signatures_status_check`.execute(db)
  await sql`alter table signatures add constraint signatures_status_check
    check (status in ('pending', 'confirmed', 'invalidated'))`.execute(db)
  await db.schema
    .alterTable('signatures')
    .addColumn('invalidation_id', 'bigint', (c) => c.references('invalidations.id').onDelete('set null'))
    .execute()
  await sql`alter table signatures add constraint signatures_invalidated_has_batch
    check ((status = 'invalidated') = (invalidation_id is not null))`.execute(db)
  await db.schema.createIndex('signatures_invalidation').on('signatures').column('invalidation_id').execute()
  await db.schema
    .createIndex('signatures_campaign_created')
    .on('signatures')
    .columns(['campaign_id', 'created_at'])
    .execute()

  await db.schema
    .alterTable('campaigns')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('campaigns').dropColumn('updated_at').execute()
  await sql`update signatures set status = case when confirmed_at is null then 'pending' else 'confirmed' end
    where status = 'invalidated'`.execute(db)
  await sql`alter table signatures drop constraint signatures_invalidated_has_batch`.execute(db)
  await db.schema.alterTable('signatures').dropColumn('invalidation_id').execute()
  await sql`alter table signatures drop constraint signatures_status_check`.execute(db)
  await sql`alter table signatures add constraint signatures_status_check
    check (status in ('pending', 'confirmed'))`.execute(db)
  await db.schema.dropTable('invalidations').execute()
  await db.schema.dropTable('audit_log').execute()
  await sql`drop function audit_log_append_only()`.execute(db)
  await db.schema.alterTable('organizers').dropColumn('password_changed_at').execute()
  await db.schema.dropTable('invitations').execute()
  await db.schema.dropTable('sessions').execute()
}
