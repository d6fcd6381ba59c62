// Prometheus metrics for one process (web, worker, or both under `npm start`), served on
// METRICS_PORT at GET /metrics when it is set. Labels are bounded: route patterns, queue names,
// email kinds, SMTP answer classes; never an address, a URL as sent, or any person's data.
// Gauges whose source is elsewhere (queues, the outbox) are read at scrape time by the callbacks
// their owners register, so a scrape costs a few Redis and one Postgres round trip.
import { createServer, type Server } from 'node:http'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'

export type SmtpClass = '2xx' | '4xx' | '5xx' | 'none'

export class Metrics {
  readonly registry = new Registry()
  private readonly collectors: (() => Promise<void>)[] = []

  readonly httpRequests = new Counter({
    name: 'ua_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  })
  readonly httpDuration = new Histogram({
    name: 'ua_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  })
  readonly emails = new Counter({
    name: 'ua_emails_total',
    help: 'Emails handed to the mail server, by kind and outcome (sent or failed)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  })
  readonly emailBuilds = new Counter({
    name: 'ua_email_builds_total',
    help: 'Emails by how their MIME was made: a copy of one build shared by an alert batch (copy) or built on its own (full)',
    labelNames: ['kind', 'how'] as const,
    registers: [this.registry],
  })
  readonly smtpAnswers = new Counter({
    name: 'ua_smtp_answers_total',
    help: "The mail server's answers by class (none: no answer, the connection failed)",
    labelNames: ['class'] as const,
    registers: [this.registry],
  })
  readonly rateLimited = new Counter({
    name: 'ua_rate_limited_total',
    help: 'Requests refused by the rate limiter (429), by route pattern',
    labelNames: ['route'] as const,
    registers: [this.registry],
  })
  readonly jobs = new Gauge({
    name: 'ua_jobs',
    help: 'BullMQ jobs by queue and state, read at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
  })
  readonly queuePaused = new Gauge({
    name: 'ua_queue_paused',
    help: 'Whether a queue is paused (1), as the workers pause one while the mail server or the database is away',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  })
  readonly outboxOldest = new Gauge({
    name: 'ua_outbox_oldest_unrelayed_seconds',
    help: 'Age of the oldest outbox row not yet handed to a queue (0: none waiting)',
    registers: [this.registry],
  })
  readonly countDeltas = new Gauge({
    name: 'ua_count_deltas_pending',
    help: 'Signature count deltas not yet folded into their campaign: the count flush lag, in rows',
    registers: [this.registry],
  })

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'ua_' })
  }

  /** Runs before each scrape; a failing source leaves its gauge as it was, never the scrape. */
  onScrape(collect: () => Promise<void>) {
    this.collectors.push(collect)
  }

  /** An SMTP outcome: `code` the reply code if the server answered. */
  mailed(kind: string, code: number | undefined, ok: boolean) {
    this.emails.inc({ kind, outcome: ok ? 'sent' : 'failed' })
    const cls: SmtpClass =
      code === undefined ? (ok ? '2xx' : 'none') : code >= 500 ? '5xx' : code >= 400 ? '4xx' : '2xx'
    this.smtpAnswers.inc({ class: cls })
  }

  async render(): Promise<string> {
    await Promise.allSettled(this.collectors.map((c) => c()))
    return this.registry.metrics()
  }

  /** GET /metrics on `port` (Prometheus text format); anything else 404. */
  async serve(port: number, host: string): Promise<Server> {
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404).end()
        return
      }
      this.render().then(
        (body) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(body),
        () => res.writeHead(500).end(),
      )
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, host, () => resolve())
    })
    return server
  }
}
