// bench:cluster charges the shared services' CPU to the system under test: these check it finds the right
// processes, against the real PostgreSQL and Redis the tests use (the backend PostgreSQL itself names, the
// pid Redis reports), so a wrong socket match cannot silently measure nothing or someone else.
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { pgBackendPids, redisServerPid } from '../../../../bench/cluster/sharedServices.ts';
import { pgTestUrl } from '../../../helpers/pg.ts';
import { redisTestUrl } from '../../../helpers/redis.ts';
import { waitFor } from '../../../helpers/waitFor.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

describe('shared services of a cluster bench', () => {
  it('finds the PostgreSQL backends of this process’s connections, and drops one once it is closed', async () => {
    const url = await pgTestUrl();
    const port = Number(new URL(url).port || 5432);
    const clients = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
    for (const c of clients) {
      await c.connect();
      cleanup.push(() => c.end().catch(() => {}));
    }
    const backends = await Promise.all(
      clients.map(async (c) => (await c.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number),
    );
    const found = pgBackendPids(process.pid, port);
    expect(found).toEqual(expect.arrayContaining(backends));
    await clients[0]!.end();
    await waitFor(() => !pgBackendPids(process.pid, port).includes(backends[0]!), {
      message: 'the closed connection’s backend is no longer counted',
    });
    expect(pgBackendPids(process.pid, port)).toContain(backends[1]);
  });

  it('finds the Redis server by its port: the pid Redis itself reports', async () => {
    const url = new URL(await redisTestUrl());
    const redis = new Redis(url.toString());
    cleanup.push(() => redis.disconnect());
    const info = await redis.info('server');
    const reported = Number(/^process_id:(\d+)/m.exec(info)?.[1]);
    expect(redisServerPid(Number(url.port || 6379))).toBe(reported);
  });
});
