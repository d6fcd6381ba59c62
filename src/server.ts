// Process entry for the web role (`npm run web`), or web and workers together (`npm start`).
// Listens, logs and closes with grace; nothing else.
import closeWithGrace from 'close-with-grace'
import { startWorkers, type Workers } from '../workers/start.ts'
import { buildApp } from './app.ts'
import { loadConfig } from './config.ts'
import { Metrics } from './metrics.ts'
import { prepareDatabase } from './runtime.ts'

const config = loadConfig()
const withWorkers = process.argv.includes('--with-workers')

const db = await prepareDatabase(config).catch((err: Error) => {
  console.error(`startup: ${err.message}`)
  process.exit(1)
})
const metrics = new Metrics()
const app = await buildApp({ config, db, ...(config.metricsPort ? { metrics } : {}) })
let workers: Workers | undefined
const metricsServer = config.metricsPort ? await metrics.serve(config.metricsPort, config.metricsHost) : undefined

// Shutdown order: stop accepting and drain requests, then let running jobs finish,
// then close queues and Redis, then the pool. close-with-grace bounds it all.
closeWithGrace({ delay: 15_000 }, async ({ err, signal }) => {
  if (err) app.log.error({ err }, 'shutting down after an error')
  else app.log.info({ signal }, 'shutting down')
  await app.close()
  metricsServer?.close()
  await workers?.close()
  await db.destroy()
})

if (withWorkers) workers = await startWorkers({ config, db, logger: app.log, metrics })
await app.listen({ port: config.port, host: config.host })
