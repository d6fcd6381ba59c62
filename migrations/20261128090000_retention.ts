import { sql, type Kysely } from 'kysely'

// Retention (src/modules/retention): a subscriber who left and once received alerts keeps an
// anonymous row, so that the delivery statistics of past alerts stay whole, but loses its address:
// `email` becomes '' and `email_key` 'erased:<id>' (never a normalised address, which always has
// an @). The columns stay NOT NULL so that nothing that mails a subscriber has to expect a null;
// this check makes sure such a row can never be made pending or active again.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table subscribers add constraint subscribers_erased_is_unsubscribed
    check (email <> '' or (status = 'unsubscribed' and email_key like 'erased:%'))`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table subscribers drop constraint subscribers_erased_is_unsubscribed`.execute(db)
}
