// The console's queue view (issue 17, point 3): admins only, counts and the last failures with
// addresses masked, and retry and clean as audited forms.
import { UnrecoverableError, Worker } from 'bullmq'
import t from 'tap'
import { maskAddresses } from '../../src/modules/queues/service.ts'
import { eventually, loginAs, openQueue, redisConnection, setup } from '../helper.ts'

t.test('admins see the queues, retry and clean failures, and each is audited', async (t) => {
  const env = await setup(t, { workers: false })
  const mail = openQueue(t, env, 'mail')
  // Two jobs that fail for good, as a 5xx does: one SMTP answer quotes the recipient's address.
  await mail.add('send', { outboxId: '1' }, { jobId: 'outbox-1' })
  await mail.add('send', { outboxId: '2' }, { jobId: 'outbox-2' })
  const worker = new Worker(
    'mail',
    async () => {
      throw new UnrecoverableError('550 5.1.1 <kim.minji@example.org>: Recipient address rejected')
    },
    { connection: redisConnection(t, env), prefix: env.config.queuePrefix },
  )
  await eventually(async () => (await mail.getJobCounts('failed')).failed === 2, 10_000, 'two failed jobs')
  await worker.close()

  const organizer = await loginAs(env, 'organizer')
  t.equal((await organizer.client.get('/admin/queues')).statusCode, 403, 'not for organizers')
  const { client } = await loginAs(env, 'admin')
  for (const [lang, heading] of [
    ['en', 'Queues and outbox'],
    ['ko', '작업 대기열과 발신함'],
    ['zh', '任务队列与发件箱'],
  ] as const) {
    const page = await client.get(`/admin/queues?lang=${lang}`)
    t.equal(page.statusCode, 200)
    t.match(page.body, `<h1>${heading}</h1>`, lang)
  }
  const page = await client.get('/admin/queues?lang=en')
  t.match(
    page.body,
    /<tr id="queue-mail">[\s\S]*?<td class="num">2<\/td><td class="num">0<\/td>\s*<\/tr>/,
    'two failed',
  )
  t.match(page.body, '…@example.org', 'the domain is shown')
  t.notMatch(page.body, 'kim.minji', 'the address is not')
  t.match(page.body, '<code>outbox-1</code>')

  const one = await client.post('/admin/queues/mail/retry', { job: 'outbox-1' })
  t.equal(one.statusCode, 303)
  t.equal(one.headers.location, '/admin/queues?retried=1')
  t.equal(await mail.getJobState('outbox-1'), 'waiting', 'back in the queue')
  t.equal(await mail.getJobState('outbox-2'), 'failed', 'the other stays failed')
  t.match((await client.get('/admin/queues?retried=1')).body, 'Sent back to the queue: 1')

  t.equal(
    (await client.post('/admin/queues/mail/retry', { job: 'outbox-1' })).statusCode,
    404,
    'a waiting job is not retried',
  )
  t.equal((await client.post('/admin/queues/mail/retry', { job: 'outbox-404' })).statusCode, 404, 'nor a missing one')
  t.equal((await client.post('/admin/queues/nope/retry', {})).statusCode, 404, 'an unknown queue is not found')
  t.equal((await client.post('/admin/queues/mail/clean', { state: 'waiting' })).statusCode, 400, 'only finished jobs')

  const cleaned = await client.post('/admin/queues/mail/clean', { state: 'failed' })
  t.equal(cleaned.headers.location, '/admin/queues?removed=1')
  t.equal(await mail.getJob('outbox-2'), undefined, 'the failed job is gone')

  const audit = await env.db
    .selectFrom('audit_log')
    .select(['action', 'detail'])
    .where('action', 'like', 'queue.%')
    .orderBy('id')
    .execute()
  t.match(audit, [
    { action: 'queue.retry', detail: { queue: 'mail', job: 'outbox-1', retried: 1 } },
    { action: 'queue.clean', detail: { queue: 'mail', state: 'failed', removed: 1 } },
  ])
})

t.test('the outbox backlog is on the page', async (t) => {
  const env = await setup(t, { workers: false })
  const { client } = await loginAs(env, 'admin')
  await env.app.inject({
    method: 'POST',
    url: '/api/v1/subscribers',
    payload: { email: 'someone@example.org' },
  })
  const page = await client.get('/admin/queues?lang=en')
  t.match(page.body, 'Not yet handed to a queue: 1', 'the confirmation waits: no worker runs here')
  t.match(page.body, 'Handed over an hour ago or more and not finished: 0')
})

t.test('addresses in a failure are masked, quoted ones too, before the text is cut', async (t) => {
  t.equal(maskAddresses('550 <kim.minji@example.org> rejected'), '550 <…@example.org> rejected')
  t.equal(maskAddresses('550 "kim minji"@example.org unknown'), '550 …@example.org unknown')
  t.equal(maskAddresses('a@b.org, c@d.org'), '…@b.org, …@d.org')
})
