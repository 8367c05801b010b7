// The PostgreSQL readiness ping (createPgPinger in storage/pg/pool.ts): answers within its timeout whatever the
// database does, on a connection of its own that it closes, one ping at a time.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createPgPinger, createPgPool, type PgPool } from '../../../server/src/storage/pg/pool.ts';
import { pgTestUrl } from '../../helpers/pg.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const pools: PgPool[] = [];
const servers: net.Server[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) if (!pool.ending) await pool.end();
  for (const server of servers.splice(0)) server.close();
});

/** A TCP server that accepts connections and never says a word: a stalled database. */
async function silentServer() {
  const open = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    open.add(socket);
    // Reads and drops what arrives (the startup message), so the client's end of the connection is seen.
    socket.resume();
    socket.on('close', () => open.delete(socket));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    accepted: () => accepted,
    open: () => open.size,
  };
}

function pool(url: string): PgPool {
  const created = createPgPool(url, { max: 2 });
  pools.push(created);
  return created;
}

describe('PostgreSQL readiness ping', () => {
  it('is ok while the database answers, and says why not once the pool is ended', async () => {
    const db = pool(await pgTestUrl());
    const ping = createPgPinger(db);
    expect(await ping(1000)).toEqual({ ok: true, detail: 'postgres' });
    await db.end();
    expect(await ping(1000)).toEqual({ ok: false, detail: 'postgres: the connection pool is closed' });
  });

  it('gives up after its timeout on a database that does not answer, and closes its connection', async () => {
    const stalled = await silentServer();
    const ping = createPgPinger(pool(`postgres://nobody@127.0.0.1:${stalled.port}/none`));
    const started = Date.now();
    const results = await Promise.all([ping(200), ping(200), ping(200)]);
    expect(Date.now() - started).toBeLessThan(2000);
    for (const result of results) {
      expect(result).toEqual({ ok: false, detail: 'postgres: no answer within 200 ms' });
    }
    // Three probes at once shared one ping: one connection, closed once it gave up.
    expect(stalled.accepted()).toBe(1);
    await waitFor(() => stalled.open() === 0, { message: 'the ping closed its connection' });
  });
});
