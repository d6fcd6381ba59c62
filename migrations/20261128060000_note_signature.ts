import { sql, type Kysely } from 'kysely'

// Signing is one call for a new address and a repeat alike (signatures/repository.ts,
// insertOrNoteRepeat). As a function, Postgres keeps its statements' plans per connection: as one
// ad hoc statement it was planned afresh for every signature, which cost more than running it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function note_signature(
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

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function note_signature`.execute(db)
}
