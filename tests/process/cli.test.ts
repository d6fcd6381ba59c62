import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import t from 'tap'
import { createTestDb } from '../helper.ts'

const run = promisify(execFile)

function cli(databaseUrl: string, ...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
    timeout: 60_000,
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  )
}

t.test('organizer:create prints a one-time password, token:create a token that works', async (t) => {
  const { db, url } = await createTestDb(t)
  const created = await cli(
    url,
    'organizer:create',
    '--email',
    'Org@Example.org',
    '--name',
    '김 조직가',
    '--role',
    'organizer',
  )
  t.equal(created.code, 0, created.stderr)
  const password = created.stdout.trim().split('\n').pop()!
  t.ok(password.length >= 20)
  const row = await db
    .selectFrom('organizers')
    .select(['email', 'role', 'password_hash', 'password_must_change'])
    .executeTakeFirstOrThrow()
  t.same([row.email, row.role], ['org@example.org', 'organizer'])
  t.equal(row.password_must_change, true, 'the printed password must be replaced at the first login')
  t.match(row.password_hash, /^scrypt\$N=131072,r=8,p=1\$/)
  t.notOk(row.password_hash!.includes(password))

  const token = await cli(url, 'token:create', '--email', 'org@example.org')
  t.equal(token.code, 0)
  t.match(token.stdout.trim(), /^ua_[A-Za-z0-9_-]{43}$/)

  const again = await cli(url, 'organizer:create', '--email', 'org@example.org', '--name', 'x', '--role', 'admin')
  t.equal(again.code, 2)
  t.match(again.stderr, /exists already/)
})

t.test('bad CLI input is a usage error naming the flag', async (t) => {
  const { url } = await createTestDb(t)
  const cases: [string[], RegExp][] = [
    [['organizer:create', '--email', 'a@b.org', '--name', 'A', '--role', 'boss'], /--role must be admin or organizer/],
    [['organizer:create', '--name', 'A', '--role', 'admin'], /--email is required/],
    [['token:create', '--email', 'nobody@example.org'], /No organizer has the address/],
    [['token:create', '--email', 'not-an-email'], /--email is not an email address/],
    [['no-such-command'], /usage:/],
  ]
  for (const [args, message] of cases) {
    const res = await cli(url, ...args)
    t.equal(res.code, 2, args.join(' '))
    t.match(res.stderr, message)
  }
})

t.test('demo:load loads the founding campaign and its reports once, however often it runs', async (t) => {
  const { db, url } = await createTestDb(t)
  const first = await cli(url, 'demo:load')
  t.equal(first.code, 0, first.stderr)
  t.match(first.stdout, /demo reports added: 7/)
  const second = await cli(url, 'demo:load')
  t.equal(second.code, 0, second.stderr)
  t.match(second.stdout, /demo campaign already there/)
  t.match(second.stdout, /demo reports already there/)
  const rows = await db.selectFrom('campaigns').select(['id', 'slug', 'status', 'translations', 'asks']).execute()
  t.equal(rows.length, 1)
  t.equal(rows[0]!.status, 'live')
  t.same(Object.keys(rows[0]!.translations).sort(), ['ko', 'zh'])
  t.equal(rows[0]!.asks.length, 3)

  const reports = await db
    .selectFrom('reports')
    .select([
      'place_name',
      'province',
      'country',
      'people_count',
      'kind',
      'status',
      'published_at',
      'confidence',
      'campaign_id',
      'source_url',
    ])
    .select(['locale', 'translations'])
    .orderBy('people_count', 'desc')
    .execute()
  t.equal(reports.length, 7, 'six detention places and one forced return, once')
  t.same(
    reports.map((r) => [r.place_name, r.province, r.people_count, r.kind]),
    [
      ['Changchun (prison)', 'Jilin', 450, 'detention'],
      ['Tumen', 'Jilin', 325, 'detention'],
      ['Dandong', 'Liaoning', 180, 'detention'],
      ['Linjiang', 'Jilin', 104, 'detention'],
      ['Shenyang', 'Liaoning', 64, 'detention'],
      ['China–North Korea border', 'Liaoning', 50, 'forced-return'],
      ['Changbai county', 'Jilin', 47, 'detention'],
    ],
  )
  t.equal(
    reports.filter((r) => r.kind === 'detention').reduce((sum, r) => sum + r.people_count, 0),
    1170,
  )
  for (const r of reports) {
    t.equal(r.status, 'published')
    t.ok(r.published_at)
    t.equal(r.country, 'CN')
    t.equal(r.confidence, 'credible')
    t.equal(r.campaign_id, rows[0]!.id, 'linked to the demo campaign')
    t.equal(r.source_url, 'https://www.hrw.org/news/2021/07/22/china-forcibly-return-refugees-north-korea')
    t.equal(r.locale, 'en')
    for (const locale of ['ko', 'zh'] as const) {
      const tr = r.translations[locale]
      t.ok(
        tr?.summary && tr.place?.name && tr.place.province,
        `${r.place_name} in ${locale}: summary, place and province`,
      )
    }
  }
  t.same(
    [
      ...new Set(
        reports.map((r) => `${r.province} ${r.translations.ko?.place?.province} ${r.translations.zh?.place?.province}`),
      ),
    ].sort(),
    ['Jilin 지린성 吉林省', 'Liaoning 랴오닝성 辽宁省'],
    'one name per province in each language',
  )
  // Publishing through the service would have queued a fan-out per report: demo data is not news.
  t.equal((await db.selectFrom('alerts').select('id').execute()).length, 0, 'no alert was created')
  t.equal(
    (await db.selectFrom('outbox').select('id').where('kind', '=', 'alert.fanout').execute()).length,
    0,
    'no fan-out was queued',
  )
})
