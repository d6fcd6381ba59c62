import { Writable } from 'node:stream'
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import t from 'tap'
import { buildApp, requestSerializers } from '../../src/app.ts'
import { eventually, liveCampaign, setup, signer } from '../helper.ts'

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
  const connection = new Redis(env.config.redisUrl, { maxRetriesPerRequest: null })
  const queue = new Queue('mail', { connection, prefix: env.config.queuePrefix })
  t.teardown(async () => {
    await queue.close()
    connection.disconnect()
  })
  const jobs = await eventually(async () => {
    const found = await queue.getJobs(['waiting', 'active', 'delayed', 'failed', 'completed'])
    return found.length ? found : undefined
  })
  t.equal(jobs.length, 1)
  t.same(Object.keys(jobs[0]!.data), ['outboxId'])
  const dump = JSON.stringify(await connection.hgetall(`${env.config.queuePrefix}:mail:${jobs[0]!.id}`))
  t.notOk(dump.toLowerCase().includes('example.org'), 'no address anywhere in the job hash')
  t.notOk(dump.includes(signer.name))
})
