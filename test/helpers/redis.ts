// Redis for tests: TEST_REDIS_URL when set, else whatever answers PING on 127.0.0.1:6379 (scripts/test.sh
// starts a throwaway one when nothing does). Each test uses its own key prefix, removed afterwards.
import crypto from 'node:crypto';
import { Redis } from 'ioredis';

const LOCAL_URL = 'redis://127.0.0.1:6379';

let found: Promise<string> | undefined;

/** The URL tests reach Redis at; throws (never skips) when there is none. */
export function redisTestUrl(): Promise<string> {
  found ??= (async () => {
    const fromEnv = process.env.TEST_REDIS_URL;
    if (fromEnv) return fromEnv;
    const probe = new Redis(LOCAL_URL, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') return LOCAL_URL;
    } catch {
      // Fall through to the error below.
    } finally {
      probe.disconnect();
    }
    throw new Error('no Redis for tests: set TEST_REDIS_URL, or run scripts/test.sh (it starts one)');
  })();
  return found;
}

export interface RedisTestSpace {
  url: string;
  /** A fresh key prefix (`t:<random>:`) for this test. */
  keyPrefix: string;
  /** A new connection; closed by `drop`. */
  connect(): Redis;
  /** Deletes the prefix's keys and closes the connections. */
  drop(): Promise<void>;
}

export async function createRedisSpace(): Promise<RedisTestSpace> {
  const url = await redisTestUrl();
  const keyPrefix = `t:${crypto.randomBytes(6).toString('hex')}:`;
  const opened: Redis[] = [];
  return {
    url,
    keyPrefix,
    connect() {
      const redis = new Redis(url);
      opened.push(redis);
      return redis;
    },
    async drop() {
      const admin = new Redis(url);
      const keys = await admin.keys(`${keyPrefix}*`);
      if (keys.length > 0) await admin.del(...keys);
      admin.disconnect();
      for (const redis of opened) redis.disconnect();
    },
  };
}
