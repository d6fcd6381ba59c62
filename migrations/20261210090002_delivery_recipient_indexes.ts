import { sql, type Kysely } from 'kysely'

// Deleting a letter or a signature (retention, erasure, an expired pending one replaced on the
// request path) cascades to its deliveries: without an index by recipient that is a scan of the
// largest table per deleted row. The unique (alert_id, recipient) indexes do not serve a lookup by
// the recipient alone.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index if not exists deliveries_letter on deliveries (letter_id) where letter_id is not null`.execute(
    db,
  )
  await sql`create index if not exists deliveries_signature on deliveries (signature_id) where signature_id is not null`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists deliveries_letter`.execute(db)
  await sql`drop index if exists deliveries_signature`.execute(db)
}
