import type { Redis } from 'ioredis'
import type { Config } from '../src/config.ts'
import type { Db } from '../src/db/index.ts'

export interface Logger {
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
}

export interface WorkerContext {
  config: Config
  db: Db
  connection: Redis
  logger: Logger
}

/**
 * A killed worker's jobs come back after the lock expires (the stalled check); sends claimed by
 * it may be taken over once the claim is older than twice the lock (src/modules/alerts/delivery.ts).
 */
export function lockOptions(config: Config) {
  const ms = config.jobLockSeconds * 1000
  return { lockDuration: ms, stalledInterval: ms }
}
