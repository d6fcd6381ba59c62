import { Queue, Worker } from 'bullmq'
import { Redis } from 'ioredis'
const prefix = 'rltest' + Date.now()
const conn = new Redis({ maxRetriesPerRequest: null })
const q = new Queue('q', { connection: conn, prefix })
let first = true
const t0 = Date.now()
const mk = (n: string) => new Worker('q', async (job) => {
  if (first) { first = false; await q.rateLimit(800); console.log(n, 'limited', job.id, Date.now() - t0); throw Worker.RateLimitError() }
  console.log(n, 'processed', job.id, Date.now() - t0, 'ttl', await q.getRateLimitTtl(1))
}, { connection: new Redis({ maxRetriesPerRequest: null }), prefix, concurrency: 20, limiter: { max: 1_000_000_000, duration: 1000 } })
const w1 = mk('w1'), w2 = mk('w2')
await w1.waitUntilReady(); await w2.waitUntilReady()
await q.add('x', {})
while (!(await q.getRateLimitTtl(1))) await new Promise((r) => setTimeout(r, 20))
await q.rateLimit(3000)
console.log('set 3000 at', Date.now() - t0)
await q.add('y', {})
for (let i = 0; i < 8; i++) { await new Promise((r) => setTimeout(r, 500)); console.log('t', Date.now() - t0, 'ttl', await q.getRateLimitTtl(1), await q.getJobCounts('completed', 'wait', 'active')) }
await w1.close(); await w2.close(); await q.close(); conn.disconnect(); process.exit(0)
