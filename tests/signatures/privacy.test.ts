import { Writable } from 'node:stream'
import t from 'tap'
import { buildApp, requestSerializers } from '../../src/app.ts'
import { liveCampaign, mailJobsInRedis, setup, signer } from '../helper.ts'

t.test('logs hold no address, name, IP or confirm token', async (t) => {
  const env = await setup(t, { workers: false })
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk))
      done()
    },
  })
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
  await app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: { ...signer, country: 'XX' }, remoteAddress: ip })
  await app.inject({ method: 'GET', url: '/confirm/AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB?x=secret', remoteAddress: ip })
  const log = lines.join('')
  t.ok(lines.length >= 6, 'requests were logged')
  for (const secret of [signer.email, signer.email.toLowerCase(), signer.name, ip, 'AAAAAAAAAAAAAAAAAAAAAA', 'secret']) {
    t.notOk(log.includes(secret), `no ${secret} in the logs`)
  }
  t.match(log, /"route":"\/confirm\/:token"/, 'the route pattern stands in for the path')
  // Request loggers are made on first use (src/logging.ts) and still carry the request's id.
  for (const line of lines.filter((l) => l.includes('"msg":"request completed"'))) t.match(line, /"reqId":"req-\w+"/)
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
