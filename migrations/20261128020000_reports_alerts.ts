import { type Kysely, sql } from 'kysely'

// Incident reports, subscribers and their topics, alerts and one delivery row per recipient.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reports')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('occurred_on', 'date', (c) => c.notNull())
    .addColumn('place_name', 'text', (c) => c.notNull())
    .addColumn('province', 'text', (c) => c.notNull())
    .addColumn('country', 'char(2)', (c) => c.notNull())
    .addColumn('people_count', 'integer', (c) => c.notNull().check(sql`people_count >= 0`))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('detention', 'forced-return', 'transfer', 'sentencing', 'release')`),
    )
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('source_name', 'text')
    .addColumn('source_url', 'text')
    .addColumn('confidence', 'text', (c) =>
      c.notNull().check(sql`confidence in ('confirmed', 'credible', 'unverified')`),
    )
    .addColumn('campaign_id', 'bigint', (c) => c.references('campaigns.id').onDelete('set null'))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('draft')
        .check(sql`status in ('draft', 'published', 'retracted')`),
    )
    .addColumn('correction_note', 'text')
    .addColumn('created_by', 'bigint', (c) => c.references('organizers.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('published_at', 'timestamptz')
    .addColumn('retracted_at', 'timestamptz')
    .execute()
  await db.schema
    .createIndex('reports_published')
    .on('reports')
    .columns(['published_at', 'id'])
    .where(sql<boolean>`status <> 'draft'`)
    .execute()

  await db.schema
    .createTable('subscribers')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_key', 'text', (c) => c.notNull().unique())
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('frequency', 'text', (c) =>
      c
        .notNull()
        .defaultTo('immediate')
        .check(sql`frequency in ('immediate', 'daily')`),
    )
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending', 'active', 'unsubscribed')`),
    )
    // No topics at all means everything.
    .addColumn('topic_all', 'boolean', (c) => c.notNull().defaultTo(true))
    // Random; every link for this subscriber is this nonce with a MAC for its purpose.
    .addColumn('nonce', 'bytea', (c) => c.notNull().unique())
    .addColumn('confirm_expires_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('unsubscribed_at', 'timestamptz')
    .addColumn('last_digest_at', 'timestamptz')
    .execute()
  // The fan-out pages through active subscribers by id.
  await db.schema
    .createIndex('subscribers_active')
    .on('subscribers')
    .columns(['frequency', 'id'])
    .where(sql<boolean>`status = 'active'`)
    .execute()

  await db.schema
    .createTable('subscriber_campaigns')
    .addColumn('subscriber_id', 'bigint', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('subscriber_campaigns_pk', ['subscriber_id', 'campaign_id'])
    .execute()
  await db.schema
    .createIndex('subscriber_campaigns_campaign')
    .on('subscriber_campaigns')
    .column('campaign_id')
    .execute()
  await db.schema
    .createTable('subscriber_provinces')
    .addColumn('subscriber_id', 'bigint', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
    .addColumn('province', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('subscriber_provinces_pk', ['subscriber_id', 'province'])
    .execute()
  await db.schema.createIndex('subscriber_provinces_province').on('subscriber_provinces').column('province').execute()

  // Checked at send time by every send: unsubscribed, bounced and complained addresses.
  await db.schema
    .createTable('suppressions')
    .addColumn('email_key', 'text', (c) => c.primaryKey())
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`reason in ('unsubscribed', 'bounced', 'complained')`))
    .addColumn('detail', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('alerts')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('report_id', 'bigint', (c) => c.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('report', 'retraction')`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('fanning-out')
        .check(sql`status in ('fanning-out', 'sending', 'paused', 'cancelled', 'done')`),
    )
    // The fan-out's resume point: the last subscriber id whose delivery rows and jobs exist.
    .addColumn('fanout_cursor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('fanned_out_at', 'timestamptz')
    .addUniqueConstraint('alerts_report_kind', ['report_id', 'kind'])
    .execute()

  await db.schema
    .createTable('deliveries')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('alert_id', 'bigint', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    .addColumn('subscriber_id', 'bigint', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('queued')
        .check(sql`status in ('queued', 'sending', 'sent', 'failed', 'suppressed', 'cancelled')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claimed_at', 'timestamptz')
    .addColumn('smtp_response', 'text')
    .addColumn('sent_at', 'timestamptz')
    .addUniqueConstraint('deliveries_alert_subscriber', ['alert_id', 'subscriber_id'])
    .execute()
  await db.schema.createIndex('deliveries_alert_status').on('deliveries').columns(['alert_id', 'status']).execute()
  await db.schema.createIndex('deliveries_subscriber').on('deliveries').column('subscriber_id').execute()

  // One digest per subscriber per day, whatever retries happen.
  await db.schema
    .createTable('digests')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('subscriber_id', 'bigint', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('since', 'timestamptz', (c) => c.notNull())
    .addColumn('until', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('queued')
        .check(sql`status in ('queued', 'sending', 'sent', 'failed', 'suppressed', 'empty')`),
    )
    .addColumn('report_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claimed_at', 'timestamptz')
    .addColumn('smtp_response', 'text')
    .addColumn('sent_at', 'timestamptz')
    .addUniqueConstraint('digests_subscriber_day', ['subscriber_id', 'day'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'digests',
    'deliveries',
    'alerts',
    'suppressions',
    'subscriber_provinces',
    'subscriber_campaigns',
    'subscribers',
    'reports',
  ]) {
    await db.schema.dropTable(t).ifExists().execute()
  }
}
