// The baseline of the fan-out benchmark: nodemailer alone, sending N copies of one rendered alert
// (same From, Subject, text and HTML parts and List-* headers as the app's, only To and Message-ID
// vary) through a pooled transport built with the options of src/mail/transport.ts (pool,
// maxConnections = SMTP_POOL_SIZE, maxMessages Infinity, ignoreTLS), with `concurrency` sends in
// flight, as the deliveries worker has DELIVERY_CONCURRENCY jobs in flight. No database, no queue.
//
//   node --import tsx bench/nodemailer-raw.ts --port 2525 --messages 10000 [--pool 5] [--concurrency 20]
//        [--sample message.json] [--prefix raw.x] [--wait-go]
//
// --sample is a JSON file { from, subject, text, html, headers, messageIdHost } (bench/fanout.ts
// writes one rendered by the app's own compose functions); without it a stand-in of similar size
// is used. With --wait-go the script sets up, prints {"ready":true} and starts sending when a line
// arrives on stdin, so a parent can start several processes together without their start-up time.
// Prints one JSON line with the result last.
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import nodemailer from 'nodemailer'
import { isMain, round } from './lib.ts'

export interface RawSample {
  from: string
  subject: string
  text: string
  html: string
  headers: Record<string, string>
  messageIdHost: string
}

export interface RawResult {
  prefix: string
  messages: number
  sent: number
  failed: number
  firstError: string | null
  pool: number
  concurrency: number
  /** Epoch ms: the first send started, the last one was answered. */
  startedAt: number
  finishedAt: number
  seconds: number
  perSec: number
  p50: number
  p99: number
  max: number
  /** Peak resident set of this process, MB (VmHWM). */
  peakRssMb: number
  /** CPU seconds (user + system) this process used while sending. */
  cpuSeconds: number
}

/** /proc/<pid>/status VmHWM and VmRSS in MB (Linux). */
export function memoryOf(pid: number | 'self'): { peakRssMb: number; rssMb: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
    return { peakRssMb: round(kb('VmHWM') / 1024, 1), rssMb: round(kb('VmRSS') / 1024, 1) }
  } catch {
    return { peakRssMb: NaN, rssMb: NaN }
  }
}

function standIn(): RawSample {
  const para = 'A stand-in paragraph of about the length of a report summary. '.repeat(8)
  return {
    from: 'Urgent Action <alerts@urgent-action.example.org>',
    subject: 'New report: 12 people, forced return, Dandong (Liaoning)',
    text: `${para}\n\n${para}\n`,
    html: `<!doctype html><html><body><p>${para}</p><p>${para}</p></body></html>`,
    headers: {
      'List-Unsubscribe':
        '<https://urgent-action.example.org/u/xxxxxxxxxxxxxxxxxxxxxx.yyyyyyyyyyyyyyyyyyyyyy>, <mailto:alerts@urgent-action.example.org?subject=unsubscribe>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': 'Urgent Action alerts <alerts.urgent-action.example.org>',
    },
    messageIdHost: 'urgent-action.example.org',
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string' },
      messages: { type: 'string' },
      pool: { type: 'string', default: '5' },
      concurrency: { type: 'string', default: '20' },
      sample: { type: 'string' },
      prefix: { type: 'string', default: `raw.${Date.now().toString(36)}` },
      'wait-go': { type: 'boolean', default: false },
    },
  })
  const messages = Number(values.messages)
  const pool = Number(values.pool)
  const concurrency = Number(values.concurrency)
  if (!(messages > 0) || !values.port) throw new Error('--port P and --messages N are required')
  const sample = values.sample ? (JSON.parse(readFileSync(values.sample, 'utf8')) as RawSample) : standIn()

  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: pool,
    maxMessages: Infinity,
    host: values.host,
    port: Number(values.port),
    secure: false,
    ignoreTLS: true,
  })

  if (values['wait-go']) {
    console.log(JSON.stringify({ ready: true }))
    const rl = createInterface({ input: process.stdin })
    await new Promise<void>((resolve) => rl.once('line', () => resolve()))
    rl.close()
  }

  let next = 0
  let sent = 0
  let failed = 0
  let firstError: string | null = null
  const latencies = new Float64Array(messages)
  const startedAt = Date.now()
  const cpu0 = process.cpuUsage()
  async function loop() {
    for (;;) {
      const i = next++
      if (i >= messages) return
      const t0 = performance.now()
      try {
        await transport.sendMail({
          from: sample.from,
          to: `${values.prefix}.${i}@bench.example.org`,
          subject: sample.subject,
          text: sample.text,
          html: sample.html,
          headers: sample.headers,
          messageId: `<${values.prefix}.${i}@${sample.messageIdHost}>`,
        })
        sent++
      } catch (err) {
        failed++
        firstError ??= (err as Error).message
      }
      latencies[i] = performance.now() - t0
    }
  }
  await Promise.all(Array.from({ length: concurrency }, loop))
  const finishedAt = Date.now()
  const cpu = process.cpuUsage(cpu0)
  transport.close()
  latencies.sort()
  const q = (p: number) => round(latencies[Math.min(messages - 1, Math.floor(p * messages))]!, 1)
  const seconds = (finishedAt - startedAt) / 1000
  const result: RawResult = {
    prefix: values.prefix,
    messages,
    sent,
    failed,
    firstError,
    pool,
    concurrency,
    startedAt,
    finishedAt,
    seconds: round(seconds, 3),
    perSec: round(sent / seconds, 0),
    p50: q(0.5),
    p99: q(0.99),
    max: round(latencies[messages - 1]!, 1),
    peakRssMb: memoryOf('self').peakRssMb,
    cpuSeconds: round((cpu.user + cpu.system) / 1e6, 1),
  }
  console.log(JSON.stringify(result))
}

// Run only as a script (bench/fanout.ts imports the types and memoryOf).
if (isMain(import.meta.url)) await main()
