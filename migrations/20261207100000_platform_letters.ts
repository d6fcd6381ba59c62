import { sql, type Kysely } from 'kysely'

// Letters the platform sends for a supporter (issue 15). `letters` is the supporter's request, one
// per (campaign, address key), pending until its button-only confirmation, like a signature: a
// repeat on a pending one replaces its choices, never its expiry. `letter_sends` is one email to
// one target, unique per letter and target: with the letter unique per (campaign, address key)
// and never replaced once confirmed, a target gets a supporter's letter once, ever. Erasure
// deletes the letter and its sends with it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('letters')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_key', 'text', (c) => c.notNull())
    .addColumn('country', 'char(2)', (c) => c.notNull())
    .addColumn('city', 'text')
    // The supporter's own text; null sends the campaign's letter in each target's language.
    .addColumn('body', 'text')
    .addColumn('wants_alerts', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending', 'confirmed')`),
    )
    .addColumn('confirm_nonce', 'bytea', (c) => c.notNull().unique())
    .addColumn('confirm_expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ip_hash', 'bytea')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('last_emailed_at', 'timestamptz')
    .addUniqueConstraint('letters_campaign_email_key', ['campaign_id', 'email_key'])
    .execute()
  await db.schema.createIndex('letters_email_key').on('letters').column('email_key').execute()
  await db.schema
    .createIndex('letters_pending_expiry')
    .on('letters')
    .column('confirm_expires_at')
    .where(sql.ref('status'), '=', 'pending')
    .execute()

  await db.schema
    .createTable('letter_sends')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('letter_id', 'bigint', (c) => c.notNull().references('letters.id').onDelete('cascade'))
    .addColumn('target_id', 'bigint', (c) => c.notNull().references('targets.id'))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('queued')
        .check(sql`status in ('queued', 'sent', 'bounced', 'stopped')`),
    )
    // The target's turn (LETTER_RATE_PER_HOUR): a letter is not sent before it.
    .addColumn('send_after', 'timestamptz', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz')
    .addUniqueConstraint('letter_sends_letter_target', ['letter_id', 'target_id'])
    .execute()
  await db.schema.createIndex('letter_sends_target').on('letter_sends').columns(['target_id', 'send_after']).execute()

  await db.schema
    .alterTable('targets')
    // A 5xx from the target's mail server: no further letters until an organizer changes its email.
    .addColumn('bounced_at', 'timestamptz')
    // The next free turn in the target's spread of letters (LETTER_RATE_PER_HOUR).
    .addColumn('next_letter_at', 'timestamptz')
    .execute()
  await db.schema
    .alterTable('campaigns')
    .addColumn('letters_sent', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute()

  // One call for a new address and a repeat alike, as note_signature: a repeat on a pending
  // letter replaces its choices (the confirm link sends the latest request), never its expiry; a
  // pending letter whose link expired is over and the request starts anew; a confirmed one stays.
  await sql`
    create function note_letter(
      p_campaign_id bigint, p_name text, p_email text, p_email_key text, p_country char(2), p_city text,
      p_body text, p_wants_alerts boolean, p_locale text, p_confirm_nonce bytea,
      p_confirm_expires_at timestamptz, p_ip_hash bytea
    ) returns boolean language plpgsql as $$
    declare
      v_id bigint;
    begin
      perform 1 from campaigns where id = p_campaign_id and status = 'live';
      if not found then
        return false;
      end if;
      delete from letters
      where campaign_id = p_campaign_id and email_key = p_email_key
        and status = 'pending' and confirm_expires_at <= now();
      insert into letters (campaign_id, name, email, email_key, country, city, body, wants_alerts,
        locale, confirm_nonce, confirm_expires_at, ip_hash, last_emailed_at)
      values (p_campaign_id, p_name, p_email, p_email_key, p_country, p_city, p_body, p_wants_alerts,
        p_locale, p_confirm_nonce, p_confirm_expires_at, p_ip_hash, now())
      on conflict on constraint letters_campaign_email_key do nothing
      returning id into v_id;
      if v_id is not null then
        insert into outbox (kind, payload) values ('letter.confirm', jsonb_build_object('letterId', v_id::text));
        return true;
      end if;
      update letters
      set name = p_name, country = p_country, city = p_city, body = p_body, wants_alerts = p_wants_alerts,
        locale = p_locale, ip_hash = p_ip_hash
      where campaign_id = p_campaign_id and email_key = p_email_key and status = 'pending'
      returning id into v_id;
      if v_id is null then
        select id into v_id from letters where campaign_id = p_campaign_id and email_key = p_email_key;
      end if;
      if v_id is null then
        return false; -- written by another request at this instant, not yet committed
      end if;
      insert into outbox (kind, payload) values ('letter.repeat', jsonb_build_object('letterId', v_id::text));
      return true;
    end
    $$`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function note_letter`.execute(db)
  await db.schema.alterTable('campaigns').dropColumn('letters_sent').execute()
  await db.schema.alterTable('targets').dropColumn('bounced_at').dropColumn('next_letter_at').execute()
  await db.schema.dropTable('letter_sends').execute()
  await db.schema.dropTable('letters').execute()
}
