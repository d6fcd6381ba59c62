import { Redis } from 'ioredis'
import t from 'tap'
import { sendFailure, withoutAddresses } from '../../src/mail/transport.ts'
import { startWorkers } from '../../workers/start.ts'
import { activeSubscriber, jilinReport, mailsTo, progressOf, publish } from '../alerts/helpers.ts'
import { eventually, liveCampaign, openQueue, redisConnection, setup, signer } from '../helper.ts'

// Real servers quote the recipient in their refusals, as Postfix does.
const quoting = (words: string) => (recipients: string[]) =>
  `${words.split(' ')[0]} <${recipients[0]}>: ${words.split(' ').slice(1).join(' ')}`

t.test('a refusal that quotes the address leaves it in no log line, failed job or row', async (t) => {
  const env = await setup(t, { workers: false })
  const lines: string[] = []
  const keep =
    (level: string) =>
    (...args: unknown[]) =>
      void lines.push(`${level} ${JSON.stringify(args)}`)
  env.workers = await startWorkers({
    config: env.config,
    db: env.db,
    logger: { info: keep('info'), warn: keep('warn'), error: keep('error') },
  })
  const subscriber = 'quoted.subscriber@example.org'
  await activeSubscriber(env, subscriber)

  // A greylisting 4xx on the first alert: backed off, then sent.
  env.smtp.respondWith(451, 1, quoting('4.7.1 Recipient address rejected: Greylisted, try again later'))
  await publish(env)
  await eventually(async () => mailsTo(env, subscriber).length === 2, 20_000, 'the alert after the 4xx')
  // A 5xx on the second: failed, and the address suppressed.
  env.smtp.respondWith(550, 1, quoting('5.1.1 Recipient address rejected: User unknown'))
  const second = await publish(env, { ...jilinReport, occurredOn: '2021-07-15', peopleCount: 48 })
  await eventually(async () => (await progressOf(env, second.alertId, second.headers)).failed === 1, 20_000, 'the 5xx')
  // A 5xx on a signature's confirmation: the mail job fails for good and stays in Redis.
  env.smtp.respondWith(550, Number.POSITIVE_INFINITY, quoting('5.1.1 Recipient address rejected: User unknown'))
  const slug = await liveCampaign(env)
  t.equal(
    (await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: signer })).statusCode,
    202,
  )
  const connection = redisConnection(t, env)
  const mail = openQueue(t, env, 'mail', connection)
  const [failed] = await eventually(
    async () => {
      const jobs = await mail.getFailed()
      return jobs.length ? jobs : undefined
    },
    20_000,
    'the confirmation to fail',
  )

  await eventually(
    async () => lines.some((l) => l.includes('mail job failed for good')),
    5000,
    'the final failure in the log',
  )

  const secrets = [subscriber, signer.email.toLowerCase(), 'quoted.subscriber', 'minji.kim']
  const log = lines.join('\n').toLowerCase()
  t.match(log, /smtp temporary failure/, 'the 4xx was logged')
  t.match(log, /smtp \w+ 451 4\.7\.1/, 'by its codes')
  t.match(failed!.failedReason, /^smtp \w+ 550 5\.1\.1$/, 'the failed job says why by its codes')
  t.match(
    lines.join('\n'),
    /error \["?\{[^\n]*smtp \w+ 550 5\.1\.1[^\n]*mail job failed for good/,
    'said as an error, once it is final',
  )
  const redis = (await dumpKeys(connection, `${env.config.queuePrefix}:*`)).toLowerCase()
  t.match(redis, /550 5\.1\.1/, 'the dump holds the failed job')
  // The confirmation's 5xx suppressed the address as an alert's does: a repeat sends nothing more.
  const suppressions = await env.db.selectFrom('suppressions').select('reason').execute()
  t.same(
    suppressions.map((r) => r.reason),
    ['bounced', 'bounced'],
    'both hard bounces are suppressions: the alert’s and the confirmation’s',
  )
  const attempts = env.smtp.attempts()
  env.smtp.respondWith(null)
  t.equal(
    (await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: signer })).statusCode,
    202,
  )
  await eventually(
    async () => {
      const row = await env.db
        .selectFrom('outbox')
        .select('done_at')
        .where('kind', '=', 'signature.confirm')
        .orderBy('id', 'desc')
        .executeTakeFirst()
      return row?.done_at !== null ? true : undefined
    },
    20_000,
    'the repeat to be handled',
  )
  t.equal(env.smtp.attempts(), attempts, 'the repeat after the bounce tried no SMTP delivery')
  const rows = JSON.stringify([
    await env.db.selectFrom('deliveries').select('smtp_response').execute(),
    await env.db.selectFrom('suppressions').select(['reason', 'detail']).execute(),
  ]).toLowerCase()
  t.match(rows, /"detail":"smtp \w+ 550 5\.1\.1"/, 'the suppression says why by its codes')
  for (const secret of secrets) {
    t.notOk(log.includes(secret), `no ${secret} in the logs`)
    t.notOk(redis.includes(secret), `no ${secret} in Redis`)
    t.notOk(rows.includes(secret), `no ${secret} in the deliveries or suppressions`)
  }
})

t.test('failures without a reply keep how the connection failed, minus any address', async (t) => {
  const refused = sendFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2525'), { code: 'ESOCKET' }))
  t.equal(refused.message, 'smtp ESOCKET connect ECONNREFUSED 127.0.0.1:2525')
  t.equal(refused.responseCode, undefined)
  const envelope = sendFailure(Object.assign(new Error('Invalid recipient kim@example.org'), { code: 'EENVELOPE' }))
  t.equal(envelope.message, 'smtp EENVELOPE Invalid recipient <address>')
  t.equal(
    withoutAddresses('250 2.0.0 Ok: queued as 4Fz; to=<Kim.Minji+tag@example.org>'),
    '250 2.0.0 Ok: queued as 4Fz; to=<<address>>',
  )
})

/** Every value under the pattern, whatever its type: hashes, streams, lists, sets, strings. */
async function dumpKeys(redis: Redis, pattern: string): Promise<string> {
  const out: unknown[] = []
  for (const key of await redis.keys(pattern)) {
    const type = await redis.type(key)
    if (type === 'hash') out.push(await redis.hgetall(key))
    else if (type === 'stream') out.push(await redis.xrange(key, '-', '+'))
    else if (type === 'list') out.push(await redis.lrange(key, 0, -1))
    else if (type === 'zset') out.push(await redis.zrange(key, 0, -1))
    else if (type === 'set') out.push(await redis.smembers(key))
    else if (type === 'string') out.push(await redis.get(key))
  }
  return JSON.stringify(out)
}
