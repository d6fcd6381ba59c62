import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { liveCampaign, setup, type TestEnv } from '../helper.ts'
import { flushCounts } from '../../src/modules/counts/service.ts'

const run = promisify(execFile)

function cli(env: TestEnv, ...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    env: {
      ...process.env,
      DATABASE_URL: env.config.databaseUrl,
      SECRET_KEY: env.config.secretKey,
      LOG_LEVEL: 'silent',
    },
    timeout: 60_000,
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  )
}

async function tempDir(t: { teardown(fn: () => unknown): void }) {
  const dir = await mkdtemp(join(tmpdir(), 'ua-cli-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return dir
}

const audited = (env: TestEnv, action: string) =>
  env.db
    .selectFrom('audit_log')
    .select(['via', 'system_actor', 'detail'])
    .where('action', '=', action)
    .orderBy('id')
    .execute()

t.test('subscribers:import prints a summary with invalid rows by line number, and is audited', async (t) => {
  const env = await setup(t, { workers: false })
  const dir = await tempDir(t)
  const file = join(dir, 'list.csv')
  const rows = ['email,language', 'a@example.org,ko', 'oops,en', 'a@example.org,en', 'b@example.org,zh']
  for (let i = 0; i < 120; i++) rows.push(`bad ${i}`)
  await writeFile(file, rows.join('\r\n'))
  const res = await cli(env, 'subscribers:import', file, '--locale', 'zh')
  t.equal(res.code, 0, res.stderr)
  t.match(res.stdout, /^imported: 2 /m)
  t.match(res.stdout, /^already there: 0$/m)
  t.match(res.stdout, /^repeated in the file: 1$/m)
  t.match(res.stdout, /^invalid rows: 121$/m)
  t.match(res.stdout, /^ {2}line 3: not an email address$/m)
  t.match(res.stdout, /^ {2}line 6: not an email address$/m)
  t.match(res.stdout, /^ {2}\.\.\.and 21 more$/m, 'a hundred lines listed, the rest counted')
  t.notMatch(res.stderr, /importing \[/, 'no progress bar when not on a terminal')
  t.notMatch(res.stdout + res.stderr, /example\.org/, 'no address printed')
  const [entry] = await audited(env, 'subscribers.import')
  t.match(entry, { via: 'system', system_actor: 'cli', detail: { imported: 2, invalid: 121 } })
  t.notMatch(JSON.stringify(entry), /example\.org/)
})

t.test('on a terminal, a progress bar before the summary', async (t) => {
  const env = await setup(t, { workers: false })
  const dir = await tempDir(t)
  const file = join(dir, 'list.csv')
  await writeFile(file, 'email\na@example.org\nb@example.org\n')
  // `script` runs the command on a pseudo-terminal of its own, as a person at a terminal would.
  const command = [process.execPath, '--import', 'tsx', 'src/cli.ts', 'subscribers:import', file].join(' ')
  const res = await run('script', ['-qec', command, '/dev/null'], {
    env: { ...process.env, DATABASE_URL: env.config.databaseUrl, LOG_LEVEL: 'silent' },
    timeout: 60_000,
  })
  t.match(res.stdout, /importing \[[█░]+\] 100% \| 3 lines \| imported 2 \| invalid 0/)
  t.match(res.stdout, /imported: 2 /)
})

t.test('subscribers:import refuses a file it cannot use, naming what is wrong', async (t) => {
  const env = await setup(t, { workers: false })
  const dir = await tempDir(t)
  const noEmail = join(dir, 'phones.csv')
  await writeFile(noEmail, 'name,phone\nKim,010\n')
  const cases: [string[], number, RegExp][] = [
    [['subscribers:import'], 2, /subscribers:import takes one FILE\.csv/],
    [['subscribers:import', noEmail], 2, /No column holds email addresses/],
    [['subscribers:import', join(dir, 'missing.csv')], 1, /no such file/],
    [['subscribers:import', noEmail, '--locale', 'fr'], 2, /--locale must be en, ko or zh/],
    [['subscribers:export', '--status', 'bounced'], 2, /--status must be/],
    [['signatures:export'], 2, /--campaign is required/],
    [['signatures:export', '--campaign', 'nope'], 2, /Not found/],
  ]
  for (const [args, code, message] of cases) {
    const res = await cli(env, ...args)
    t.equal(res.code, code, args.join(' '))
    t.match(res.stderr, message, args.join(' '))
  }
  t.equal((await env.db.selectFrom('subscribers').select('id').execute()).length, 0, 'nothing written')
})

t.test('subscribers:export: audited, formulas neutralised, and read back by subscribers:import', async (t) => {
  const env = await setup(t, { workers: false })
  const dir = await tempDir(t)
  const list = join(dir, 'list.csv')
  await writeFile(list, 'email,locale\nann@example.org,ko\n-bo@example.org,en\n')
  t.equal((await cli(env, 'subscribers:import', list)).code, 0)
  await env.db.updateTable('subscribers').set({ status: 'active' }).execute()

  const out = join(dir, 'out.csv')
  const res = await cli(env, 'subscribers:export', '--out', out)
  t.equal(res.code, 0, res.stderr)
  t.match(res.stderr, /subscribers exported: 2/)
  const text = await readFile(out, 'utf8')
  const lines = text
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n')
  t.equal(lines[0], '"email","locale","frequency","status","created_at","confirmed_at"')
  t.match(lines[1], /^"ann@example\.org","ko","immediate","active","\d{4}-/)
  t.match(lines[2], /^"'-bo@example\.org","en",/, 'a cell starting with - is neutralised')
  const [entry] = await audited(env, 'subscribers.export')
  t.match(entry, { via: 'system', system_actor: 'cli', detail: { rows: 2, statuses: ['active'] } })

  const back = await cli(env, 'subscribers:import', out)
  t.match(back.stdout, /^already there: 2$/m, 'the export reads back, the neutralised cell too')
  t.match(back.stdout, /^invalid rows: 0$/m)
  const pending = await cli(env, 'subscribers:export', '--status', 'pending')
  t.equal(
    pending.stdout
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n').length,
    1,
    'to stdout: the header alone',
  )
})

t.test('signatures:export: the console’s CSV, audited as the CLI', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  const campaign = await env.db.selectFrom('campaigns').select('id').executeTakeFirstOrThrow()
  for (const [name, publicName] of [
    ['=HYPERLINK("http://x")', true],
    ['Private', false],
  ] as const) {
    await env.db
      .insertInto('signatures')
      .values({
        campaign_id: campaign.id,
        name,
        email: `${randomBytes(4).toString('hex')}@example.org`,
        email_key: `${randomBytes(4).toString('hex')}@example.org`,
        country: 'KR',
        comment: '+1',
        public_name: publicName,
        wants_alerts: false,
        locale: 'en',
        status: 'confirmed',
        confirm_nonce: randomBytes(16),
        confirm_expires_at: new Date(Date.now() + 86_400_000),
        confirmed_at: new Date(),
      })
      .execute()
  }
  await flushCounts(env.db)
  const res = await cli(env, 'signatures:export', '--campaign', slug)
  t.equal(res.code, 0, res.stderr)
  const lines = res.stdout
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n')
  t.equal(lines.length, 3)
  t.match(lines[1], /^"'=HYPERLINK\(""http:\/\/x""\)","KR","[^"]+","'\+1"$/)
  t.match(lines[2], /^"","KR","[^"]+",""$/, 'a private name is not exported')
  t.notMatch(res.stdout, /@example\.org/)
  const [entry] = await audited(env, 'signatures.export')
  t.match(entry, { via: 'system', system_actor: 'cli', detail: { campaign: slug, rows: 2 } })
})
