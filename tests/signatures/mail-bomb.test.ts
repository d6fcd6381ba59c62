// The mail bomb of issue 19: one client asking for email to victim+1..N@corp.example through
// every route that sends email. Sub-addresses are one mailbox to the email cooldown.
import t from 'tap'
import { forgetPast } from '../../src/modules/messages/cooldown.ts'
import { eventually, liveCampaign, setup, sleep, type TestEnv } from '../helper.ts'
import { routes } from './mail-bomb.ts'

const toBase = (env: TestEnv, base: string) =>
  env.smtp.messages.filter((m) => m.envelopeTo.some((a) => a.toLowerCase().replace(/\+[^@]*@/, '@') === base))

const outboxSettled = (env: TestEnv) =>
  eventually(
    async () => {
      const open = await env.db.selectFrom('outbox').select('id').where('done_at', 'is', null).execute()
      return open.length === 0
    },
    10_000,
    'every outbox row handled',
  )

t.test('sub-addresses of one mailbox get one email per subject within the cooldown', async (t) => {
  const env = await setup(t, { env: { EMAIL_COOLDOWN_SECONDS: '600' } })
  const slug = await liveCampaign(env)
  const other = await liveCampaign(env)
  const r = routes(env, slug)
  for (let i = 1; i <= 5; i++) {
    t.equal((await r.signApi(`victim+${i}@corp.example`)).statusCode, 202)
    t.equal((await r.signForm(`Victim+form${i}@Corp.Example`)).statusCode, 303)
    t.equal((await r.subscribeApi(`victim+${i}@corp.example`)).statusCode, 202)
    t.equal((await r.subscribeForm(`victim+form${i}@corp.example`)).statusCode, 200)
  }
  await outboxSettled(env)
  // A real supporter signing another petition right after still hears about it.
  t.equal((await routes(env, other).signApi('victim+other@corp.example')).statusCode, 202)
  // Erasure links go only to an address we hold: the sub-addresses above are held.
  for (let i = 1; i <= 3; i++) t.equal((await r.erase(`victim+${i}@corp.example`)).statusCode, 200)
  await outboxSettled(env)
  await sleep(300)

  const mails = toBase(env, 'victim@corp.example')
  const subjects = mails.map((m) => m.parsed.subject ?? '')
  t.equal(mails.length, 4, `one per campaign, one for alerts, one erasure link: ${subjects.join(' | ')}`)
  t.ok(
    mails.every((m) => m.envelopeTo[0]!.includes('+')),
    'each to the sub-address asked, not rewritten',
  )
  const signatures = await env.db.selectFrom('signatures').select(['status']).execute()
  t.equal(signatures.length, 11, 'every request is kept, as before')
  t.ok(
    signatures.every((s) => s.status === 'pending'),
    'a swallowed confirmation leaves its signature pending',
  )
  const hashes = await env.db.selectFrom('mail_cooldowns').select(['key']).execute()
  t.equal(hashes.length, 4, 'one cooldown row per mailbox and subject')
  t.ok(
    hashes.every((h) => !h.key.toString('latin1').includes('victim')),
    'the cooldown is keyed by a hash, never the address',
  )
})

t.test('another mailbox at the same domain is not held back by the cooldown', async (t) => {
  const env = await setup(t, { env: { EMAIL_COOLDOWN_SECONDS: '600' } })
  const slug = await liveCampaign(env)
  const r = routes(env, slug)
  await r.signApi('victim+1@corp.example')
  await r.signApi('colleague+1@corp.example')
  await r.signApi('victim+2@corp.example')
  await outboxSettled(env)
  await sleep(200)
  t.equal(toBase(env, 'victim@corp.example').length, 1)
  t.equal(toBase(env, 'colleague@corp.example').length, 1)
})

t.test('a mailbox’s cooldown row is forgotten once the cooldown is over', async (t) => {
  const env = await setup(t, { workers: false, env: { EMAIL_COOLDOWN_SECONDS: '600' } })
  const old = new Date(Date.now() - 601_000)
  await env.db
    .insertInto('mail_cooldowns')
    .values([
      { key: Buffer.from('old'), emailed_at: old, outbox_id: '1' },
      { key: Buffer.from('new'), emailed_at: new Date(), outbox_id: '2' },
    ])
    .execute()
  t.equal(await forgetPast(env.db, env.config.emailCooldownSeconds, 1), 1)
  const left = await env.db.selectFrom('mail_cooldowns').select('key').execute()
  t.same(
    left.map((r) => r.key.toString()),
    ['new'],
  )
})
