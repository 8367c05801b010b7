// The one place a Redis connection is made (ioredis): commands fail fast while Redis is unreachable instead
// of queueing for ever, so a lease renewal that cannot reach Redis counts as failed in time; and the
// readiness ping.
import { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';

/** A command waits at most this long for Redis before it fails (ioredis would otherwise queue it). */
const COMMAND_TIMEOUT_MS = 2000;
const PING_TIMEOUT_MS = 500;

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

/** Redis answering within PING_TIMEOUT_MS, for /readyz. */
export async function pingRedis(redis: Redis): Promise<{ ok: boolean; detail?: string }> {
  try {
    const reply = await Promise.race([
      redis.ping(),
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)),
          PING_TIMEOUT_MS,
        ).unref(),
      ),
    ]);
    return reply === 'PONG' ? { ok: true } : { ok: false, detail: `redis: ${reply}` };
  } catch (error) {
    return { ok: false, detail: `redis: ${(error as Error).message}` };
  }
}
