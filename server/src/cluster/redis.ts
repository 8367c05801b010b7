// The one place a Redis connection is made (ioredis): commands fail fast while Redis is unreachable instead
// of queueing for ever, so a lease renewal that cannot reach Redis counts as failed in time.
import { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';

/** A command waits at most this long for Redis before it fails (ioredis would otherwise queue it). */
const COMMAND_TIMEOUT_MS = 2000;

export function connectRedis(url: string, log: Logger): Redis {
  const redis = new Redis(url, {
    commandTimeout: COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    // Reconnect with back-off up to 2 s; commands in between fail (enableOfflineQueue stays on for start-up).
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
  let lastError = '';
  redis.on('error', (error: Error) => {
    // ioredis reports every failed reconnect; log each distinct error once.
    if (error.message === lastError) return;
    lastError = error.message;
    log.warn({ err: error }, 'redis error');
  });
  redis.on('ready', () => {
    lastError = '';
  });
  return redis;
}
