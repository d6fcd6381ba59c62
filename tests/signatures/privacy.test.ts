import { Writable } from 'node:stream'
import t from 'tap'
import { buildApp, requestSerializers } from '../../src/app.ts'
import { liveCampaign, mailJobsInRedis, setup, signer } from '../helper.ts'

/** A log destination that keeps every line written to it. */
function logCapture() {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk))
      done()
    },
  })
  return { lines, stream }
}

t.test('logs hold no address, name, IP or confirm token', async (t) => {
  const env = await setup(t, { workers: false })
  const { lines, stream } = logCapture()
  // Request logging on (debug), so every request line is there to inspect.
  const app = await buildApp({
    config: { ...env.config, logLevel: 'debug' },
    db: env.db,
    logger: { level: 'debug', stream, serializers: requestSerializers },
  })
  t.teardown(() => app.close())
  const slug = await liveCampaign(env)
  const ip = '203.0.113.77'
  await app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: signer, remoteAddress: ip })
  await app.inject({
    method: 'POST',
    url: `/api/v1/campaigns/${slug}/signatures`,
    payload: { ...signer, country: 'XX' },
    remoteAddress: ip,
  })
  await app.inject({
    method: 'GET',
    url: '/confirm/AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB?x=secret',
    remoteAddress: ip,
  })
  const log = lines.join('')
  t.ok(lines.length >= 6, 'requests were logged')
  for (const secret of [
    signer.email,
    signer.email.toLowerCase(),
    signer.name,
    ip,
    'AAAAAAAAAAAAAAAAAAAAAA',
    'secret',
  ]) {
    t.notOk(log.includes(secret), `no ${secret} in the logs`)
  }
  t.match(log, /"route":"\/confirm\/:token"/, 'the route pattern stands in for the path')
  // Request loggers are made on first use (src/logging.ts) and still carry the request's id.
  for (const line of lines.filter((l) => l.includes('"msg":"request completed"'))) t.match(line, /"reqId":"req-\w+"/)
})

t.test('a 500 from a Postgres constraint logs the error without the values it quotes', async (t) => {
  const env = await setup(t, { workers: false })
  const { lines, stream } = logCapture()
  const app = await buildApp({
    config: env.config,
    db: env.db,
    logger: { level: 'info', stream, serializers: requestSerializers },
  })
  t.teardown(() => app.close())
  // A unique violation, as a bug would cause one: Postgres's detail names the address.
  const twice = () =>
    env.db
      .insertInto('subscribers')
      .values({ email: 'kim.secret@example.org', email_key: 'kim.secret@example.org', nonce: Buffer.alloc(16, 7) })
      .execute()
  app.get('/boom', async () => {
    await twice()
    await twice()
  })
  const res = await app.inject({ url: '/boom' })
  t.equal(res.statusCode, 500)
  const line = lines.find((l) => l.includes('request failed'))
  t.ok(line, 'the failure is logged')
  t.match(line, /"code":"23505"/, 'with its code')
  t.match(line, /subscribers_email_key/, 'and its constraint')
  t.notOk(line!.includes('kim.secret'), 'but not the address in its detail')
})

t.test('jobs in Redis carry ids only', async (t) => {
  const env = await setup(t, { workers: false })
  const slug = await liveCampaign(env)
  await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: signer })
  // Start the workers with SMTP refusing, so the job stays in Redis to be read.
  env.smtp.respondWith(451)
  await env.startWorkers()
  const { jobs, dump: dumpOf } = await mailJobsInRedis(t, env)
  t.equal(jobs.length, 1)
  t.same(Object.keys(jobs[0]!.data), ['outboxId'])
  const dump = await dumpOf(jobs[0]!)
  t.notOk(dump.toLowerCase().includes('example.org'), 'no address anywhere in the job hash')
  t.notOk(dump.includes(signer.name))
})
