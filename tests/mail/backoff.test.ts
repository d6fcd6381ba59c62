// Confirmation emails wait out a mail server that says "not now": the mail queue backs off as
// a whole (workers/backoff.ts) and the job spends no attempt, so an outage longer than the
// attempts would last loses no confirmation.
import t from 'tap'
import { mailJob } from '../../src/jobs/index.ts'
import { backoffDelay, queueBackoff } from '../../workers/backoff.ts'
import { startWorkers } from '../../workers/start.ts'
import { eventually, liveCampaign, openQueue, setup, signer, sleep } from '../helper.ts'

t.test('four 4xx answers to a confirmation: backed off, sent once, on its first attempt', async (t) => {
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
  const slug = await liveCampaign(env)
  env.smtp.respondWith(451, 4)
  t.equal(
    (await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: signer })).statusCode,
    202,
  )
  const [mail] = await env.smtp.waitFor(1, 30_000)
  t.match(mail!.parsed.subject, /Confirm your signature/)

  const queue = openQueue(t, env, 'mail')
  const outbox = await env.db.selectFrom('outbox').select('id').executeTakeFirstOrThrow()
  // The message can arrive before the job is moved to completed: read the job once it is.
  const id = mailJob.id(outbox.id)
  await eventually(async () => (await queue.getJobState(id)) === 'completed', 10_000, 'the job to complete')
  const job = await queue.getJob(id)
  t.equal(job!.attemptsMade, 1, 'the refusals spent no attempt')
  t.equal(
    lines.filter((l) => l.includes('SMTP temporary failure, backing off')).length,
    4,
    'each refusal backed the queue off',
  )
  t.equal(env.smtp.messages.length, 1, 'sent once')
})

t.test('a pause holds every worker process of the queue, not only the one that met the refusal', async (t) => {
  const env = await setup(t)
  const silent = { info() {}, warn() {}, error() {} }
  const other = await startWorkers({ config: env.config, db: env.db, logger: silent }) // a second process
  t.teardown(() => other.close())
  const queue = openQueue(t, env, 'mail')
  const slug = await liveCampaign(env)
  env.smtp.respondWith(451, 1)
  t.equal(
    (await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: signer })).statusCode,
    202,
  )
  // A pause holds the limiter at its top (BullMQ's queue.rateLimit); the per-second job count
  // that obeyQueuePause keeps never comes near it.
  await eventually(
    async () => (await queue.getRateLimitTtl(Number.MAX_SAFE_INTEGER)) > 0,
    10_000,
    'the refusal to pause the queue',
  )
  // Held longer than the first back-off, to see what the workers do meanwhile.
  await queue.rateLimit(4000)
  const second = { ...signer, email: 'second@example.org' }
  t.equal(
    (await env.app.inject({ method: 'POST', url: `/api/v1/campaigns/${slug}/signatures`, payload: second })).statusCode,
    202,
  )
  await sleep(2000)
  t.equal(env.smtp.messages.length, 0, 'neither process sends while the queue is paused')
  const sent = await env.smtp.waitFor(2, 20_000)
  t.same(
    sent.flatMap((m) => m.envelopeTo).sort(),
    ['Minji.Kim@example.org', 'second@example.org'],
    'then both go, once each',
  )
})

t.test('the back-off doubles from 1 s up to 5 minutes, with equal jitter', async (t) => {
  t.same(
    [0, 1, 2, 3].map((n) => backoffDelay(n, 1)),
    [1000, 2000, 4000, 8000],
  )
  t.equal(backoffDelay(0, 0), 500, 'never less than half')
  t.equal(backoffDelay(30, 1), 300_000, 'capped')
})

t.test('a statement cancelled as too slow pauses the queue, but not for ever for one job', async (t) => {
  const env = await setup(t, { workers: false })
  const queue = openQueue(t, env, 'deliveries')
  const lines: string[] = []
  const backoff = queueBackoff(
    queue,
    { info() {}, warn: (_obj, msg) => void lines.push(String(msg)), error() {} },
    () => undefined,
  )
  const cancelled = Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' })
  const job = { id: 'a', timestamp: Date.now() }
  const paused = await backoff.pause(cancelled, job)
  t.equal(paused?.name, 'RateLimitError', 'a lock held long: the queue waits, no attempt spent')
  t.ok((await queue.getRateLimitTtl(Number.MAX_SAFE_INTEGER)) > 0, 'every worker of the queue holds')
  t.same(lines, ['database unreachable or busy, backing off'])
  for (let i = 2; i <= 30; i++) t.ok(await backoff.pause(cancelled, job), `pause ${i}`)
  t.equal(
    await backoff.pause(cancelled, job),
    undefined,
    'the 31st cancellation of one job is its own slow statement: it spends an attempt',
  )
  t.ok(await backoff.pause(cancelled, { id: 'b', timestamp: Date.now() }), 'another job still pauses the queue')
  backoff.succeeded({ id: 'b' })
  t.equal(
    await backoff.pause(new Error('syntax error'), { id: 'c', timestamp: Date.now() }),
    undefined,
    'a bug spends attempts',
  )
})
