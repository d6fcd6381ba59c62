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
