import { type Kysely, sql } from 'kysely'

// Frozen once landed: a change is a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('organizers')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'organizer')`))
    .addColumn('password_hash', 'text')
    .addColumn('disabled_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('organizer_id', 'bigint', (c) => c.notNull().references('organizers.id').onDelete('cascade'))
    .addColumn('token_hash', 'bytea', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute()

  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('asks', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('goal', 'integer', (c) => c.notNull().check(sql`goal > 0`))
    .addColumn('deadline', 'timestamptz')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('draft')
        .check(sql`status in ('draft', 'live', 'closed')`),
    )
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('en'))
    // { "ko": { "title": ..., "summary": ..., "body": ..., "target": ..., "asks": [...] }, "zh": ... }
    .addColumn('translations', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    // Confirmed signatures already folded in by the count flusher (see signature_count_deltas).
    .addColumn('signature_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'bigint', (c) => c.references('organizers.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('launched_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .execute()
  await db.schema
    .createIndex('campaigns_live_deadline')
    .on('campaigns')
    .column('deadline')
    .where(sql.ref('status'), '=', 'live')
    .execute()

  await db.schema
    .createTable('signatures')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    // Normalised address (case, +tag, provider dots): what uniqueness is decided on.
    .addColumn('email_key', 'text', (c) => c.notNull())
    .addColumn('country', 'char(2)', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('public_name', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('wants_alerts', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending', 'confirmed')`),
    )
    // Random; the emailed token is this nonce with an HMAC of it, so the table alone cannot confirm.
    .addColumn('confirm_nonce', 'bytea', (c) => c.notNull().unique())
    .addColumn('confirm_expires_at', 'timestamptz', (c) => c.notNull())
    // Keyed hash of the signer's IP; the address itself is never stored.
    .addColumn('ip_hash', 'bytea')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('confirmed_at', 'timestamptz')
    .addUniqueConstraint('signatures_campaign_email_key', ['campaign_id', 'email_key'])
    .execute()
  await db.schema
    .createIndex('signatures_confirmed')
    .on('signatures')
    .columns(['campaign_id', 'confirmed_at'])
    .where(sql.ref('status'), '=', 'confirmed')
    .execute()
  await db.schema
    .createIndex('signatures_public')
    .on('signatures')
    .columns(['campaign_id', 'confirmed_at'])
    .where(sql<boolean>`status = 'confirmed' and public_name`)
    .execute()

  // Append-only: a confirmation inserts +1 here instead of updating a hot counter row.
  // The flusher folds them into campaigns.signature_count in one statement per tick.
  await db.schema
    .createTable('signature_count_deltas')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('delta', 'integer', (c) => c.notNull())
    .execute()

  // Transactional outbox: the row that asks for an email commits with the change that caused it.
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('relayed_at', 'timestamptz')
    .addColumn('done_at', 'timestamptz')
    .execute()
  await db.schema
    .createIndex('outbox_unrelayed')
    .on('outbox')
    .column('id')
    .where(sql.ref('relayed_at'), 'is', null)
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['outbox', 'signature_count_deltas', 'signatures', 'campaigns', 'api_tokens', 'organizers']) {
    await db.schema.dropTable(t).ifExists().execute()
  }
}
