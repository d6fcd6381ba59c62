import { Redis, type RedisOptions } from 'ioredis'

/**
 * Workers block on Redis and must wait through an outage rather than fail a command:
 * maxRetriesPerRequest null, as BullMQ requires for Worker connections.
 */
export function workerConnection(redisUrl: string, onError: (err: Error) => void, extra: RedisOptions = {}) {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null, ...extra })
  redis.on('error', onError)
  return redis
}
