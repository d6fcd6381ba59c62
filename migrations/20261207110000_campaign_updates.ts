import { sql, type Kysely } from 'kysely'

// News on a campaign (issue 15, points 5 and 6): updates posted by organizers, the case's outcome,
// milestones with a prepared update, and the signers' choice to hear of it. An update with
// "notify" is an alert of kind 'update' whose deliveries go to signatures rather than to
// subscribers: one fan-out machinery (claims, backoff, progress, pause, cancel, suppression) for both.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('campaign_updates')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('update', 'good-news', 'outcome')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    // Written in one language: the page marks it so, whatever the reader's.
    .addColumn('lang', 'text', (c) => c.notNull().check(sql`lang in ('en', 'ko', 'zh')`))
    // Only on an outcome: how the case ended.
    .addColumn('outcome', 'text', (c) => c.check(sql`outcome in ('won', 'lost', 'closed')`))
    .addColumn('created_by', 'bigint', (c) => c.references('organizers.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('campaign_updates_outcome_kind', sql`(outcome is not null) = (kind = 'outcome')`)
    .execute()
  await db.schema
    .createIndex('campaign_updates_campaign')
    .on('campaign_updates')
    .columns(['campaign_id', 'created_at'])
    .execute()

  // The case's state as its updates tell it: open until an outcome says won, lost or closed.
  await sql`alter table campaigns add column outcome text check (outcome in ('won', 'lost', 'closed'))`.execute(db)

  // Asked on the signing form; a signer who opts out gets no update of this campaign.
  await sql`alter table signatures add column wants_updates boolean not null default true`.execute(db)
  // The update fan-out pages through a campaign's recipients by id. Partial: a pending signature
  // (every new one) writes no entry, so signing pays nothing for it.
  await sql`
    create index signatures_update_recipients on signatures (campaign_id, id)
    where status = 'confirmed' and wants_updates and not held`.execute(db)

  await sql`alter table alerts alter column report_id drop not null`.execute(db)
  await sql`alter table alerts add column update_id bigint references campaign_updates(id) on delete cascade`.execute(
    db,
  )
  await sql`alter table alerts add constraint alerts_update unique (update_id)`.execute(db)
  await sql`alter table alerts drop constraint alerts_kind_check`.execute(db)
  await sql`alter table alerts add constraint alerts_kind_check check (kind in ('report', 'retraction', 'update'))`.execute(
    db,
  )
  await sql`
    alter table alerts add constraint alerts_about check (
      case when kind = 'update' then update_id is not null and report_id is null
      else report_id is not null and update_id is null end)`.execute(db)

  // A delivery goes to a subscriber (a report's alert) or to a signature (an update's).
  await sql`alter table deliveries alter column subscriber_id drop not null`.execute(db)
  await sql`alter table deliveries add column signature_id bigint references signatures(id) on delete cascade`.execute(
    db,
  )
  await sql`alter table deliveries add constraint deliveries_alert_signature unique (alert_id, signature_id)`.execute(
    db,
  )
  await sql`alter table deliveries add constraint deliveries_one_recipient check (num_nonnulls(subscriber_id, signature_id) = 1)`.execute(
    db,
  )

  // Thresholds of signatures; with none set, the campaign's goal is one (a row written when it is
  // reached). Reached once: the row's reached_at is set by one conditional statement.
  await db.schema
    .createTable('campaign_milestones')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('threshold', 'integer', (c) => c.notNull().check(sql`threshold > 0`))
    // The update posted when it is reached, prepared beforehand; none when title is null.
    .addColumn('update_kind', 'text', (c) => c.check(sql`update_kind in ('update', 'good-news')`))
    .addColumn('update_title', 'text')
    .addColumn('update_body', 'text')
    .addColumn('update_lang', 'text', (c) => c.check(sql`update_lang in ('en', 'ko', 'zh')`))
    .addColumn('update_notify', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('reached_at', 'timestamptz')
    .addColumn('update_id', 'bigint', (c) => c.references('campaign_updates.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('campaign_milestones_threshold', ['campaign_id', 'threshold'])
    .addCheckConstraint(
      'campaign_milestones_prepared',
      sql`(update_title is null) = (update_body is null) and (update_title is null) = (update_kind is null) and (update_title is null) = (update_lang is null)`,
    )
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('campaign_milestones').execute()
  await sql`delete from deliveries where signature_id is not null`.execute(db)
  await sql`alter table deliveries drop constraint deliveries_one_recipient`.execute(db)
  await sql`alter table deliveries drop column signature_id`.execute(db)
  await sql`alter table deliveries alter column subscriber_id set not null`.execute(db)
  await sql`delete from alerts where kind = 'update'`.execute(db)
  await sql`alter table alerts drop constraint alerts_about`.execute(db)
  await sql`alter table alerts drop column update_id`.execute(db)
  await sql`alter table alerts drop constraint alerts_kind_check`.execute(db)
  await sql`alter table alerts add constraint alerts_kind_check check (kind in ('report', 'retraction'))`.execute(db)
  await sql`alter table alerts alter column report_id set not null`.execute(db)
  await sql`drop index signatures_update_recipients`.execute(db)
  await sql`alter table signatures drop column wants_updates`.execute(db)
  await sql`alter table campaigns drop column outcome`.execute(db)
  await db.schema.dropTable('campaign_updates').execute()
}
