// A suppression lives as long as the subscriber of its address
// (migrations/20261128100000_suppression_follows_subscriber.ts).
import { sql } from 'kysely'
import t from 'tap'
import { migratorFor } from '../../src/db/migrate.ts'
import { suppress } from '../../src/modules/subscribers/repository.ts'
import { createTestDb } from '../helper.ts'

const subscriber = (email: string, nonce: string) =>
  sql`insert into subscribers (email, email_key, status, nonce) values (${email}, ${email}, 'active', decode(md5(${nonce}), 'hex'))`

t.test('the migration drops suppressions no subscriber holds, and keeps the others', async (t) => {
  const { db } = await createTestDb(t)
  const migrator = migratorFor(db)
  t.error((await migrator.migrateTo('20261128090000_retention')).error)
  await subscriber('still-here@example.org', 'a').execute(db)
  await sql`insert into suppressions (email_key, reason) values
    ('still-here@example.org', 'bounced'), ('long-gone@example.org', 'complained')`.execute(db)
  t.error((await migrator.migrateToLatest()).error)
  t.same(await db.selectFrom('suppressions').select(['email_key', 'reason']).execute(), [{ email_key: 'still-here@example.org', reason: 'bounced' }])

  await t.rejects(
    db.insertInto('suppressions').values({ email_key: 'nobody@example.org', reason: 'bounced' }).execute(),
    /suppressions_subscriber_fk/,
    'no suppression without a subscriber',
  )
  await db.updateTable('subscribers').set({ email: '', email_key: 'erased:1', status: 'unsubscribed' }).execute()
  t.same(await db.selectFrom('suppressions').select('email_key').execute(), [{ email_key: 'erased:1' }], 'a key that changes is followed')
  await db.deleteFrom('subscribers').execute()
  t.same(await db.selectFrom('suppressions').select('email_key').execute(), [], 'and goes with its subscriber')
})

t.test('a bounce that comes back after its subscriber was erased suppresses nothing, and fails nothing', async (t) => {
  const { db } = await createTestDb(t)
  await suppress(db, 'erased-meanwhile@example.org', 'bounced', 'smtp EENVELOPE 550 5.1.1')
  t.same(await db.selectFrom('suppressions').select('email_key').execute(), [])
  await subscriber('here@example.org', 'b').execute(db)
  await suppress(db, 'here@example.org', 'bounced', 'smtp EENVELOPE 550 5.1.1')
  await suppress(db, 'here@example.org', 'complained')
  t.same(await db.selectFrom('suppressions').select(['email_key', 'reason', 'detail']).execute(), [
    { email_key: 'here@example.org', reason: 'bounced', detail: 'smtp EENVELOPE 550 5.1.1' },
  ], 'the first reason stays')
})
