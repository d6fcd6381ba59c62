// A suppression keyed by its address lives as long as the subscriber of that address
// (migrations/20261128100000_suppression_follows_subscriber.ts); a bounce or complaint then
// stays as the address's hash alone (migrations/20261207050001_suppression_hash.ts).
import { sql } from 'kysely'
import t from 'tap'
import { migratorFor } from '../../src/db/migrate.ts'
import { systemActor } from '../../src/modules/audit/service.ts'
import { addressHash } from '../../src/modules/email-key.ts'
import { purgeStale } from '../../src/modules/retention/service.ts'
import { suppress, suppressedAmong } from '../../src/modules/subscribers/repository.ts'
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
  t.same(await db.selectFrom('suppressions').select(['email_key', 'reason']).execute(), [
    { email_key: 'still-here@example.org', reason: 'bounced' },
  ])

  await t.rejects(
    db.insertInto('suppressions').values({ email_key: 'nobody@example.org', reason: 'bounced' }).execute(),
    /suppressions_subscriber_fk/,
    'no suppression without a subscriber',
  )
  await db.updateTable('subscribers').set({ email: '', email_key: 'erased:1', status: 'unsubscribed' }).execute()
  t.same(
    await db.selectFrom('suppressions').select('email_key').execute(),
    [{ email_key: 'erased:1' }],
    'a key that changes is followed',
  )
  await db.deleteFrom('subscribers').execute()
  t.same(await db.selectFrom('suppressions').select('email_key').execute(), [], 'and goes with its subscriber')
})

const secret = 'suppressions-test-secret-key-0123456789'

t.test(
  'a bounce that comes back after its subscriber was erased is kept as the hash alone; an unsubscribe is not',
  async (t) => {
    const { db } = await createTestDb(t)
    await suppress(db, secret, 'erased-meanwhile@example.org', 'bounced', 'smtp EENVELOPE 550 5.1.1')
    await suppress(db, secret, 'left-meanwhile@example.org', 'unsubscribed')
    t.same(await db.selectFrom('suppressions').select(['email_key', 'address_hash', 'reason', 'detail']).execute(), [
      {
        email_key: null,
        address_hash: addressHash(secret, 'erased-meanwhile@example.org'),
        reason: 'bounced',
        detail: null,
      },
    ])
    await subscriber('here@example.org', 'b').execute(db)
    await suppress(db, secret, 'here@example.org', 'bounced', 'smtp EENVELOPE 550 5.1.1')
    await suppress(db, secret, 'here@example.org', 'complained')
    t.same(
      await db
        .selectFrom('suppressions')
        .select(['email_key', 'reason', 'detail'])
        .where('email_key', '=', 'here@example.org')
        .execute(),
      [{ email_key: 'here@example.org', reason: 'bounced', detail: 'smtp EENVELOPE 550 5.1.1' }],
      'the first reason stays',
    )
    t.same(
      [...(await suppressedAmong(db, secret, ['here@example.org', 'erased-meanwhile@example.org', 'x@example.org']))],
      ['here@example.org', 'erased-meanwhile@example.org'],
      'found by address or by hash',
    )
    await t.rejects(
      db
        .insertInto('suppressions')
        .values({ email_key: null, reason: 'unsubscribed', address_hash: Buffer.alloc(32) })
        .execute(),
      /suppressions_without_address/,
      'no unsubscribe without its address',
    )
  },
)

t.test(
  'a suppression from before the hashes gets one from the retention run, and outlives its subscriber',
  async (t) => {
    const { db } = await createTestDb(t)
    const migrator = migratorFor(db)
    t.error((await migrator.migrateTo('20261206000000_audit_system_actor')).error)
    await subscriber('legacy@example.org', 'c').execute(db)
    await sql`insert into suppressions (email_key, reason, detail) values ('legacy@example.org', 'complained', 'report')`.execute(
      db,
    )
    t.error((await migrator.migrateToLatest()).error)
    t.same(
      [...(await suppressedAmong(db, secret, ['legacy@example.org']))],
      ['legacy@example.org'],
      'found by its address',
    )

    await purgeStale(db, systemActor('retention'), { pendingRetentionDays: 7, ipHashDays: 30, secretKey: secret })
    await db
      .updateTable('subscribers')
      .set({ status: 'unsubscribed', unsubscribed_at: new Date(Date.now() - 8 * 86_400_000) })
      .execute()
    await purgeStale(db, systemActor('retention'), { pendingRetentionDays: 7, ipHashDays: 30, secretKey: secret })
    t.same(await db.selectFrom('subscribers').select('email').execute(), [], 'the subscriber is gone')
    t.same(await db.selectFrom('suppressions').select(['email_key', 'address_hash', 'reason', 'detail']).execute(), [
      { email_key: null, address_hash: addressHash(secret, 'legacy@example.org'), reason: 'complained', detail: null },
    ])
    t.same(
      [...(await suppressedAmong(db, secret, ['legacy@example.org']))],
      ['legacy@example.org'],
      'found by its hash',
    )
  },
)
