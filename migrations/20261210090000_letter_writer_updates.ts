import { sql, type Kysely } from 'kysely'

// Updates reach letter writers too (issue 15 point 5: "everyone with a confirmed signature or
// letter on that campaign"). An update's fan-out pages through the campaign's signatures, then
// through its letters whose writer has no confirmed signature there (one email per person), so
// an alert's cursor is now a phase and an id. A delivery's recipient may be a letter.
//
// And a supporter may sign and write in one go (issue 15 point 2): a letter asked for with a
// signature is confirmed by the signature's link (one email, one button), so it writes no email
// of its own: `with_signature`.
export async function up(db: Kysely<any>): Promise<void> {
  // Like a signer's: every update email stops them in one click (one person, one choice: the stop
  // link of either stops both, src/modules/updates/repository.ts).
  await sql`alter table letters add column wants_updates boolean not null default true`.execute(db)
  await sql`
    create index letters_update_recipients on letters (campaign_id, id)
    where status = 'confirmed' and wants_updates`.execute(db)
  await sql`alter table letters add column with_signature boolean not null default false`.execute(db)
  // The letter form asks it up front, as the signing form does; and a letter asked for with a
  // signature emails nothing itself: two more arguments.
  await sql`drop function note_letter(bigint, text, text, text, char(2), text, text, boolean, text, bytea, timestamptz, bytea)`.execute(
    db,
  )
  await sql`
    create function note_letter(
      p_campaign_id bigint, p_name text, p_email text, p_email_key text, p_country char(2), p_city text,
      p_body text, p_wants_alerts boolean, p_wants_updates boolean, p_locale text, p_confirm_nonce bytea,
      p_confirm_expires_at timestamptz, p_ip_hash bytea, p_with_signature boolean
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
        wants_updates, locale, confirm_nonce, confirm_expires_at, ip_hash, last_emailed_at, with_signature)
      values (p_campaign_id, p_name, p_email, p_email_key, p_country, p_city, p_body, p_wants_alerts,
        p_wants_updates, p_locale, p_confirm_nonce, p_confirm_expires_at, p_ip_hash, now(), p_with_signature)
      on conflict on constraint letters_campaign_email_key do nothing
      returning id into v_id;
      if v_id is not null then
        if not p_with_signature then
          insert into outbox (kind, payload) values ('letter.confirm', jsonb_build_object('letterId', v_id::text));
        end if;
        return true;
      end if;
      update letters
      set name = p_name, country = p_country, city = p_city, body = p_body, wants_alerts = p_wants_alerts,
        wants_updates = p_wants_updates, locale = p_locale, ip_hash = p_ip_hash,
        with_signature = with_signature or p_with_signature
      where campaign_id = p_campaign_id and email_key = p_email_key and status = 'pending'
      returning id into v_id;
      if v_id is null then
        select id into v_id from letters where campaign_id = p_campaign_id and email_key = p_email_key;
      end if;
      if v_id is null then
        return false; -- written by another request at this instant, not yet committed
      end if;
      if not p_with_signature then
        insert into outbox (kind, payload) values ('letter.repeat', jsonb_build_object('letterId', v_id::text));
      end if;
      return true;
    end
    $$`.execute(db)

  // 'main': subscribers or signatures, by id; 'letters': an update's letter writers, by id.
  await sql`alter table alerts add column fanout_phase text not null default 'main'
    check (fanout_phase in ('main', 'letters'))`.execute(db)

  await sql`alter table deliveries add column letter_id bigint references letters(id) on delete cascade`.execute(db)
  await sql`alter table deliveries add constraint deliveries_alert_letter unique (alert_id, letter_id)`.execute(db)
  await sql`alter table deliveries drop constraint deliveries_one_recipient`.execute(db)
  await sql`alter table deliveries add constraint deliveries_one_recipient
    check (num_nonnulls(subscriber_id, signature_id, letter_id) = 1)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from deliveries where letter_id is not null`.execute(db)
  await sql`alter table deliveries drop constraint deliveries_one_recipient`.execute(db)
  await sql`alter table deliveries drop column letter_id`.execute(db)
  await sql`alter table deliveries add constraint deliveries_one_recipient
    check (num_nonnulls(subscriber_id, signature_id) = 1)`.execute(db)
  await sql`alter table alerts drop column fanout_phase`.execute(db)
  await sql`drop function note_letter(bigint, text, text, text, char(2), text, text, boolean, boolean, text, bytea, timestamptz, bytea, boolean)`.execute(
    db,
  )
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
  await sql`alter table letters drop column wants_updates`.execute(db)
  await sql`alter table letters drop column with_signature`.execute(db)
}
