import { sql, type Kysely } from 'kysely'

// A suppression lives as long as the subscriber of its address. Only alerts and digests read it,
// and both go to subscribers only; a new subscriber needs a confirmed opt-in, which lifts any
// suppression of the address (src/modules/subscribers/service.ts). So a suppression without a
// subscriber stops nothing and only keeps an address: the ones that exist go, and the foreign key
// takes every later one with its subscriber (an erasure, the retention purge). A retention purge
// that keeps a subscriber's row without its address changes `email_key`, and the suppression
// follows (`on update cascade`) unless the purge deleted it first.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`delete from suppressions x where not exists (select 1 from subscribers s where s.email_key = x.email_key)`.execute(
    db,
  )
  await sql`alter table suppressions add constraint suppressions_subscriber_fk
    foreign key (email_key) references subscribers (email_key) on delete cascade on update cascade`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table suppressions drop constraint suppressions_subscriber_fk`.execute(db)
}
