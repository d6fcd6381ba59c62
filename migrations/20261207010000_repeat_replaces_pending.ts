import { sql, type Kysely } from 'kysely'

// A repeat signature on a pending one replaces its choices (name, comment, country, whether the
// name is shown, alerts, language, network): the confirm link confirms the latest request made
// with the address. Otherwise whoever signed first, as anyone's address, chose what its owner
// confirms by pressing the button in the first email (the owner's own repeat, within the email
// cooldown, gets no email of its own). A confirmed or invalidated signature keeps its choices. A
// pending signature whose link expired is over: the request starts a new one (new link, new
// expiry), which a repeat never extends, so an unconfirmed row reaches retention.
// Still one call, for a new address and a repeat alike.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function note_signature(
      p_campaign_id bigint, p_name text, p_email text, p_email_key text, p_country char(2), p_comment text,
      p_public_name boolean, p_wants_alerts boolean, p_locale text, p_confirm_nonce bytea,
      p_confirm_expires_at timestamptz, p_ip_hash bytea
    ) returns boolean language plpgsql as $$
    declare
      v_id bigint;
    begin
      perform 1 from campaigns where id = p_campaign_id and status = 'live';
      if not found then
        return false;
      end if;
      delete from signatures
      where campaign_id = p_campaign_id and email_key = p_email_key
        and status = 'pending' and confirm_expires_at <= now();
      insert into signatures (campaign_id, name, email, email_key, country, comment, public_name, wants_alerts,
        locale, confirm_nonce, confirm_expires_at, ip_hash, last_emailed_at)
      values (p_campaign_id, p_name, p_email, p_email_key, p_country, p_comment, p_public_name, p_wants_alerts,
        p_locale, p_confirm_nonce, p_confirm_expires_at, p_ip_hash, now())
      on conflict on constraint signatures_campaign_email_key do nothing
      returning id into v_id;
      if v_id is not null then
        insert into outbox (kind, payload) values ('signature.confirm', jsonb_build_object('signatureId', v_id::text));
        return true;
      end if;
      update signatures
      set name = p_name, country = p_country, comment = p_comment, public_name = p_public_name,
        wants_alerts = p_wants_alerts, locale = p_locale, ip_hash = p_ip_hash
      where campaign_id = p_campaign_id and email_key = p_email_key and status = 'pending'
      returning id into v_id;
      if v_id is null then
        select id into v_id from signatures where campaign_id = p_campaign_id and email_key = p_email_key;
      end if;
      if v_id is null then
        return false; -- signed by another request at this instant, not yet committed
      end if;
      insert into outbox (kind, payload) values ('signature.repeat', jsonb_build_object('signatureId', v_id::text));
      return true;
    end
    $$`.execute(db)
}

// The function as 20261128060000_note_signature.ts made it.
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function note_signature(
      p_campaign_id bigint, p_name text, p_email text, p_email_key text, p_country char(2), p_comment text,
      p_public_name boolean, p_wants_alerts boolean, p_locale text, p_confirm_nonce bytea,
      p_confirm_expires_at timestamptz, p_ip_hash bytea
    ) returns boolean language plpgsql as $$
    declare
      v_id bigint;
    begin
      perform 1 from campaigns where id = p_campaign_id and status = 'live';
      if not found then
        return false;
      end if;
      insert into signatures (campaign_id, name, email, email_key, country, comment, public_name, wants_alerts,
        locale, confirm_nonce, confirm_expires_at, ip_hash, last_emailed_at)
      values (p_campaign_id, p_name, p_email, p_email_key, p_country, p_comment, p_public_name, p_wants_alerts,
        p_locale, p_confirm_nonce, p_confirm_expires_at, p_ip_hash, now())
      on conflict on constraint signatures_campaign_email_key do nothing
      returning id into v_id;
      if v_id is not null then
        insert into outbox (kind, payload) values ('signature.confirm', jsonb_build_object('signatureId', v_id::text));
        return true;
      end if;
      select id into v_id from signatures where campaign_id = p_campaign_id and email_key = p_email_key;
      if v_id is null then
        return false; -- signed by another request at this instant, not yet committed
      end if;
      insert into outbox (kind, payload) values ('signature.repeat', jsonb_build_object('signatureId', v_id::text));
      return true;
    end
    $$`.execute(db)
}
