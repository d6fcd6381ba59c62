import { sql, type Kysely } from 'kysely'

// A bounce or a complaint outlives the address it stopped: the erasure page promises we never
// write to that mailbox again. Each suppression carries a keyed hash of its address
// (`addressHash`, src/modules/email-key.ts); when its subscriber is erased or purged, a bounce or
// complaint keeps only that hash (email_key null, no SMTP answer), an unsubscribe goes with the
// subscriber as before. The hash needs SECRET_KEY, which a migration does not have: rows from
// before this one get theirs from the code that takes their address away (the erasure, the
// retention run), and until then are found by their address.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table suppressions drop constraint suppressions_pkey`.execute(db)
  await sql`alter table suppressions alter column email_key drop not null`.execute(db)
  await sql`alter table suppressions add constraint suppressions_email_key_key unique (email_key)`.execute(db)
  await sql`alter table suppressions add column address_hash bytea`.execute(db)
  await sql`alter table suppressions add constraint suppressions_address_hash_key unique (address_hash)`.execute(db)
  await sql`alter table suppressions add constraint suppressions_without_address
    check (email_key is not null or (address_hash is not null and reason <> 'unsubscribed' and detail is null))`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from suppressions where email_key is null`.execute(db)
  await sql`alter table suppressions drop constraint suppressions_without_address`.execute(db)
  await sql`alter table suppressions drop column address_hash`.execute(db)
  await sql`alter table suppressions drop constraint suppressions_email_key_key`.execute(db)
  await sql`alter table suppressions alter column email_key set not null`.execute(db)
  await sql`alter table suppressions add primary key (email_key)`.execute(db)
}
