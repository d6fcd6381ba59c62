// Process entry for the worker role (`npm run worker`). Shutdown order lives in Workers.close.
import closeWithGrace from 'close-with-grace'
import { pino } from 'pino'
import { loadConfig } from '../src/config.ts'
import { Metrics } from '../src/metrics.ts'
import { prepareDatabase } from '../src/runtime.ts'
import { startWorkers } from './start.ts'

const config = loadConfig()
const logger = pino({ level: config.logLevel, name: 'worker' })
const db = await prepareDatabase(config).catch((err: Error) => {
  console.error(`startup: ${err.message}`)
  process.exit(1)
})
const metrics = new Metrics()
const workers = await startWorkers({ config, db, logger, metrics })
const metricsServer = config.metricsPort ? await metrics.serve(config.metricsPort, config.metricsHost) : undefined
logger.info('workers started')

closeWithGrace({ delay: 15_000 }, async ({ err, signal }) => {
  if (err) logger.error({ err }, 'shutting down after an error')
  else logger.info({ signal }, 'shutting down')
  metricsServer?.close()
  await workers.close()
  await db.destroy()
})
