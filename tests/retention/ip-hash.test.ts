// A signature's network hash serves bulk invalidation for IP_HASH_DAYS, then goes: a confirmed
// signature is kept until erased, its IP hash not.
import { randomBytes } from 'node:crypto'
import t from 'tap'
import { parseConfig } from '../../src/config.ts'
import { systemActor } from '../../src/modules/audit/service.ts'
import { purgeStale } from '../../src/modules/retention/service.ts'
import { repeatedIps } from '../../src/modules/signature-admin/repository.ts'
import { liveCampaign, setup, type TestEnv } from '../helper.ts'

const DAY = 86_400_000
const daysAgo = (days: number) => new Date(Date.now() - days * DAY)

/** Confirmed signatures from one network, signed `days` ago, written straight to the table. */
async function signedFrom(env: TestEnv, campaignId: string, network: Buffer, days: number, n: number) {
  for (let i = 0; i < n; i++) {
    const email = `${randomBytes(4).toString('hex')}@example.org`
    await env.db
      .insertInto('signatures')
      .values({
        campaign_id: campaignId,
        name: 'Signer',
        email,
        email_key: email,
        country: 'KR',
        locale: 'en',
        public_name: false,
        wants_alerts: false,
        status: 'confirmed',
        confirm_nonce: randomBytes(16),
        confirm_expires_at: daysAgo(days - 7),
        ip_hash: network,
        created_at: daysAgo(days),
        confirmed_at: daysAgo(days),
      })
      .execute()
  }
}

t.test('IP_HASH_DAYS is 30 days unless set, a whole number of days from 1 to 365', async (t) => {
  t.equal(parseConfig({}).ipHashDays, 30)
  t.equal(parseConfig({ IP_HASH_DAYS: '3' }).ipHashDays, 3)
  for (const bad of ['0', '366', '1.5', 'month']) {
    t.throws(() => parseConfig({ IP_HASH_DAYS: bad }), { message: /^IP_HASH_DAYS: / }, bad)
  }
})

t.test('the retention run drops IP hashes older than IP_HASH_DAYS, in batches, and says so', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  const { id: campaignId } = await env.db
    .selectFrom('campaigns')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow()
  const old = randomBytes(16)
  const recent = randomBytes(16)
  await signedFrom(env, campaignId, old, 31, 5)
  await signedFrom(env, campaignId, recent, 29, 3)
  const groups = async () => (await repeatedIps(env.db, campaignId, 10)).map((g) => [g.ip_hash, Number(g.n)])
  t.same(await groups(), [
    [old, 5],
    [recent, 3],
  ])

  const purged = await purgeStale(env.db, systemActor('retention'), env.config, 2)
  t.equal(purged.ipHashes, 5, 'five hashes dropped, two at a time')
  t.same(await groups(), [[recent, 3]], 'bulk invalidation can no longer group the old ones, and still the recent')
  const signatures = await env.db.selectFrom('signatures').select(['status', 'ip_hash']).execute()
  t.equal(signatures.length, 8, 'every signature stays')
  t.equal(signatures.filter((s) => s.ip_hash === null).length, 5)
  const audit = await env.db
    .selectFrom('audit_log')
    .select('detail')
    .where('action', '=', 'retention.purge')
    .executeTakeFirstOrThrow()
  t.match(audit.detail, { ipHashes: 5, ipHashDays: 30 }, 'the audit row counts them')
  t.equal((await purgeStale(env.db, systemActor('retention'), env.config)).ipHashes, 0, 'nothing twice')
})

t.test('IP_HASH_DAYS set shorter drops them sooner', async (t) => {
  const env = await setup(t, { workers: false, env: { IP_HASH_DAYS: '2' } })
  const slug = await liveCampaign(env)
  const { id: campaignId } = await env.db
    .selectFrom('campaigns')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow()
  await signedFrom(env, campaignId, randomBytes(16), 3, 1)
  await signedFrom(env, campaignId, randomBytes(16), 1, 1)
  t.equal((await purgeStale(env.db, systemActor('retention'), env.config)).ipHashes, 1)
})

t.test("a letter request's network hash goes after IP_HASH_DAYS too; the letter stays", async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  const { id: campaignId } = await env.db
    .selectFrom('campaigns')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow()
  for (const days of [31, 31, 29]) {
    const email = `${randomBytes(4).toString('hex')}@example.org`
    await env.db
      .insertInto('letters')
      .values({
        campaign_id: campaignId,
        name: 'Writer',
        email,
        email_key: email,
        country: 'KR',
        city: null,
        body: null,
        wants_alerts: false,
        locale: 'en',
        status: 'confirmed',
        confirm_nonce: randomBytes(16),
        confirm_expires_at: daysAgo(days - 7),
        ip_hash: randomBytes(16),
        created_at: daysAgo(days),
        confirmed_at: daysAgo(days),
      })
      .execute()
  }
  const purged = await purgeStale(env.db, systemActor('retention'), env.config, 1)
  t.equal(purged.ipHashes, 2, 'the two old hashes, one at a time')
  const letters = await env.db.selectFrom('letters').select('ip_hash').orderBy('created_at').execute()
  t.same(
    letters.map((l) => l.ip_hash === null),
    [true, true, false],
    'every letter stays; only the recent one keeps its hash',
  )
})
