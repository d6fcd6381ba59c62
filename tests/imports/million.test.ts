import { createReadStream } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { eventually, setup, sleep } from '../helper.ts'
import { importSubscribers } from '../../src/modules/subscribers/import.ts'

t.test('a million copies of one address: one subscriber, one confirmation email', async (t) => {
  const env = await setup(t)
  const dir = await mkdtemp(join(tmpdir(), 'ua-import-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const file = join(dir, 'same.csv')
  // The same mailbox written as people type it: case, a +tag and dots that Gmail ignores.
  const forms = [
    'same.person@gmail.com',
    'Same.Person@Gmail.com',
    'sameperson+news@gmail.com',
    'same.person@googlemail.com',
  ]
  const lines = ['email']
  for (let i = 0; i < 1_000_000; i++) lines.push(forms[i % forms.length]!)
  await writeFile(file, lines.join('\n') + '\n')
  lines.length = 0

  const summary = await importSubscribers(env.db, env.config, createReadStream(file))
  t.same(
    [summary.lines, summary.imported, summary.repeated, summary.alreadyThere, summary.invalid],
    [1_000_001, 1, 999_999, 0, 0],
  )
  await eventually(async () => env.smtp.messages.length === 1)
  await sleep(1000)
  t.equal(env.smtp.messages.length, 1, 'exactly one confirmation email')
  const rows = await env.db.selectFrom('subscribers').select(['email', 'status']).execute()
  t.same(rows, [{ email: 'same.person@gmail.com', status: 'pending' }])
})
