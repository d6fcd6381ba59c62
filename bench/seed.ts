// Resets the bench database (drop, create, migrate, demo campaign) and seeds N confirmed
// signatures with one INSERT ... SELECT generate_series, then VACUUM ANALYZE.
//
//   node --import tsx bench/seed.ts               # reset + 1,000,000 signatures
//   node --import tsx bench/seed.ts --rows 0      # reset to the demo campaign only ("empty")
//   node --import tsx bench/seed.ts --no-reset --rows 200000   # add on top
import { parseArgs } from 'node:util'
import { parseConfig } from '../src/config.ts'
import { systemActor } from '../src/modules/audit/service.ts'
import * as campaignRepo from '../src/modules/campaigns/repository.ts'
import { createCampaign, launchCampaign } from '../src/modules/campaigns/service.ts'
import { DEMO_SLUG, loadDemo } from '../src/modules/demo/service.ts'
import { prepareDatabase } from '../src/runtime.ts'
import {
  BENCH_DATABASE_URL,
  BENCH_DB_NAME,
  isMain,
  PG_ADMIN_URL,
  round,
  table,
  withPg,
  preflight,
  POSTGRES,
} from './lib.ts'

/** Other live campaigns the seeded signatures are spread over, besides the demo. */
export const OTHER_SLUGS = ['bench-other-1', 'bench-other-2', 'bench-other-3', 'bench-other-4']
/** Share of seeded signatures that go to the demo campaign (the one whose page is read). */
const DEMO_SHARE = 0.6

export interface SeedResult {
  rows: number
  reset: boolean
  seconds: number
  perCampaign: { slug: string; signatures: number; signature_count: number }[]
  tableSize: string
}

/** Drops and recreates the bench database, migrated, with the demo campaign loaded and live. */
export async function resetBenchDb(): Promise<void> {
  await withPg(PG_ADMIN_URL, (c) => c.query(`drop database if exists "${BENCH_DB_NAME}" with (force)`))
  await prepareBenchDb()
}

/** Creates and migrates the bench database if needed; loads the demo (idempotent). */
export async function prepareBenchDb(): Promise<void> {
  const config = parseConfig({ DATABASE_URL: BENCH_DATABASE_URL, LOG_LEVEL: 'silent' })
  const db = await prepareDatabase(config)
  try {
    await loadDemo(db)
    for (const slug of OTHER_SLUGS) {
      const existing = await campaignRepo.findBySlug(db, slug)
      if (existing) continue
      await createCampaign(db, systemActor('demo'), {
        slug,
        title: `Bench campaign ${slug}`,
        summary: 'A campaign that only exists to hold seeded signatures.',
        body: 'Seeded for the benchmarks.',
        target: 'Nobody',
        asks: ['Nothing'],
        goal: 1_000_000,
      })
      await launchCampaign(db, systemActor('demo'), slug)
    }
  } finally {
    await db.destroy()
  }
}

export async function seed(rows: number, reset = true): Promise<SeedResult> {
  const started = Date.now()
  if (reset) await resetBenchDb()
  else await prepareBenchDb()
  return withPg(BENCH_DATABASE_URL, async (c) => {
    if (rows > 0) {
      const { rows: ids } = await c.query<{ id: string; slug: string }>(
        'select id, slug from campaigns where slug = any($1)',
        [[DEMO_SLUG, ...OTHER_SLUGS]],
      )
      const demoId = ids.find((r) => r.slug === DEMO_SLUG)!.id
      const otherIds = OTHER_SLUGS.map((s) => ids.find((r) => r.slug === s)!.id)
      // Offset i so repeated --no-reset seeds stay unique.
      const { rows: off } = await c.query<{ n: string }>('select count(*) as n from signatures')
      const base = Number(off[0]!.n)
      await c.query(
        `insert into signatures (campaign_id, name, email, email_key, country, comment, public_name,
           wants_alerts, locale, status, confirm_nonce, confirm_expires_at, ip_hash, created_at, confirmed_at)
         select
           case when (i % 100) < $3 then $1::bigint else ($2::bigint[])[1 + (i / 100) % 4] end,
           'Seeded Signer ' || i,
           'seed.' || i || '@example.org',
           'seed.' || i || '@example.org',
           (array['KR','US','JP','DE','FR','GB','CN','CA'])[1 + i % 8],
           case when i % 7 = 0 then 'Seeded comment number ' || i end,
           i % 3 = 0,
           i % 2 = 0,
           (array['en','ko','zh'])[1 + i % 3],
           'confirmed',
           decode(md5('bench-seed-' || i), 'hex'),
           now() - interval '1 day',
           decode(md5('ip-' || (i % 50000)), 'hex'),
           now() - ($5::bigint + $4::bigint - i) * interval '1 second' - interval '1 minute',
           now() - ($5::bigint + $4::bigint - i) * interval '1 second'
         from generate_series($5::bigint + 1, $5::bigint + $4::bigint) as i`,
        [demoId, otherIds, Math.round(DEMO_SHARE * 100), rows, base],
      )
    }
    await c.query(
      `update campaigns c set signature_count =
         (select count(*) from signatures s where s.campaign_id = c.id and s.status = 'confirmed')`,
    )
    await c.query('vacuum analyze signatures')
    await c.query('vacuum analyze campaigns')
    await c.query('vacuum analyze outbox')
    const { rows: per } = await c.query<{ slug: string; signatures: string; signature_count: string }>(
      `select c.slug, (select count(*) from signatures s where s.campaign_id = c.id) as signatures, c.signature_count
       from campaigns c order by c.id`,
    )
    const { rows: size } = await c.query<{ size: string }>(
      `select pg_size_pretty(pg_total_relation_size('signatures')) as size`,
    )
    return {
      rows,
      reset,
      seconds: round((Date.now() - started) / 1000, 1),
      perCampaign: per.map((r) => ({
        slug: r.slug,
        signatures: Number(r.signatures),
        signature_count: Number(r.signature_count),
      })),
      tableSize: size[0]!.size,
    }
  })
}

export function printSeed(r: SeedResult) {
  console.log(
    `\nbench database ${BENCH_DB_NAME}: ${r.reset ? 'reset, ' : ''}seeded ${r.rows.toLocaleString('en')} confirmed signatures in ${r.seconds} s; signatures table + indexes ${r.tableSize}`,
  )
  console.log(
    table(
      ['campaign', 'signature rows', 'signature_count'],
      r.perCampaign.map((c) => [c.slug, c.signatures, c.signature_count]),
    ),
  )
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: { rows: { type: 'string', default: '1000000' }, 'no-reset': { type: 'boolean', default: false } },
  })
  await preflight('seed', [POSTGRES])
  const result = await seed(Number(values.rows), !values['no-reset'])
  printSeed(result)
}
