// Health, readiness (on both storage engines: PostgreSQL is pinged), metrics, dev tokens and start-up
// configuration errors.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { mintToken } from '../../server/src/auth/tokens.ts';
import { quoteIdent } from '../../server/src/storage/pg/pool.ts';
import { connectCollab } from '../helpers/collabClient.ts';
import { STORAGE_ENGINES, startTestServerOn } from '../helpers/engineServer.ts';
import { pgTestUrl } from '../helpers/pg.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { runServer, startServerProcess } from '../helpers/serverProcess.ts';
import { waitFor } from '../helpers/waitFor.ts';

async function readiness(httpUrl: string) {
  const res = await fetch(`${httpUrl}/readyz`);
  const body = (await res.json()) as { checks: { database: { ok: boolean; detail?: string } } };
  return { status: res.status, database: body.checks.database };
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: await pgTestUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('operational endpoints', () => {
  it('healthz, readyz and metrics', async () => {
    const server = await startTestServer();
    try {
      expect(await (await fetch(`${server.httpUrl}/healthz`)).json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${server.httpUrl}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        status: 'ready',
        checks: { database: { ok: true }, accepting: { ok: true } },
      });

      const c = connectCollab(server, 'class1/code/main', await server.token({ sub: 'a', role: 'student' }));
      await c.synced();
      c.doc.getText('t').insert(0, 'x');
      await c.saved();
      connectCollab(server, 'class1/code/main', 'garbage').destroy();
      const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
      expect(text).toMatch(/tandem_ws_connections\{endpoint="collab"\} [1-9]/);
      expect(text).toMatch(/tandem_documents_loaded [1-9]/);
      expect(text).toMatch(/tandem_updates_applied_total [1-9]/);
      expect(text).toMatch(/tandem_updates_direct_total \d+/);
      expect(text).toMatch(/tandem_full_syncs_encoded_total [1-9]/);
      expect(text).toMatch(/tandem_full_syncs_shared_total \d+/);
      expect(text).toMatch(/tandem_bytes_in_total\{endpoint="collab"\} [1-9]/);
      expect(text).toContain('tandem_store_seconds_bucket');
      expect(text).toContain('process_cpu_seconds_total');
      c.destroy();
    } finally {
      await server.stop();
    }
  });

  it.each(STORAGE_ENGINES)(
    'readyz names the engine, and reports not ready once it is closed: %s',
    async (engine) => {
      const server = await startTestServerOn(engine);
      try {
        expect(await readiness(server.httpUrl)).toEqual({
          status: 200,
          database: { ok: true, detail: engine },
        });
        const { storage } = server.tandem.ctx;
        // SQLite: the database handle; PostgreSQL: the pool, ended under the storage's feet.
        if (storage.engine === 'sqlite') storage.db.close();
        else await storage.pool.end();
        const after = await readiness(server.httpUrl);
        expect(after.status).toBe(503);
        expect(after.database.ok).toBe(false);
      } finally {
        await server.stop().catch(() => {});
      }
    },
  );

  // A long timeout: DROP DATABASE waits for a checkpoint, about 10 s when other suites load the same PostgreSQL.
  it('readyz pings PostgreSQL: not ready once the database is dropped, with the reason', async () => {
    const name = `tandem_ready_${crypto.randomBytes(4).toString('hex')}`;
    await admin(`CREATE DATABASE ${quoteIdent(name)}`);
    const url = new URL(await pgTestUrl());
    url.pathname = `/${name}`;
    const server = await startTestServer({ DATABASE_URL: url.toString() });
    try {
      expect(await readiness(server.httpUrl)).toEqual({
        status: 200,
        database: { ok: true, detail: 'postgres' },
      });
      // FORCE ends the server's open connections; the ping must open a new one, to a database that is gone.
      await admin(`DROP DATABASE ${quoteIdent(name)} WITH (FORCE)`);
      const after = await waitFor(async () => {
        const r = await readiness(server.httpUrl);
        return r.status === 503 ? r : undefined;
      });
      expect(after.database).toMatchObject({ ok: false, detail: expect.stringMatching(/^postgres: .+/) });
    } finally {
      await server.stop().catch(() => {});
      await admin(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    }
  }, 90_000);

  it('dev tokens exist only when enabled', async () => {
    const off = await startTestServer();
    const body = JSON.stringify({ sub: 'a', name: 'A', cls: 'demo', role: 'student' });
    expect((await fetch(`${off.httpUrl}/api/dev/token`, { method: 'POST', body })).status).toBe(404);
    await off.stop();
    const on = await startTestServer({ DEV_TOKENS: '1' });
    const res = await fetch(`${on.httpUrl}/api/dev/token`, { method: 'POST', body });
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    const claims = await on.tandem.ctx.verifier.verify(token);
    expect(claims).toMatchObject({ sub: 'a', cls: 'demo', role: 'student' });
    const bad = await fetch(`${on.httpUrl}/api/dev/token`, {
      method: 'POST',
      body: JSON.stringify({ sub: 'a b', role: 'god' }),
    });
    expect(bad.status).toBe(400);
    await on.stop();
  });
});

describe('start-up configuration', () => {
  it('the built server (npm start) finds the client and the examples from server/build, without a TypeScript loader', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-built-'));
    const p = await startServerProcess({ DATA_DIR: dataDir });
    try {
      const page = await fetch(`${p.url}/`);
      expect(page.status).toBe(200);
      // The built app (its script), not the page said when client/dist is not found.
      expect(await page.text()).toMatch(/<script type="module"[^>]* src="\/assets\/index-/);
      for (const file of ['/runner.html', '/examples/embed-host.html'])
        expect((await fetch(`${p.url}${file}`)).status, file).toBe(200);
      expect(p.child.spawnargs.join(' ')).not.toMatch(/tsx|--import/);
      expect(p.child.spawnargs.at(-1)).toMatch(/main\.mjs$/);
    } finally {
      p.child.kill('SIGTERM');
      await p.exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("a node with MEDIA_ENABLED=false never loads mediasoup (nor the PostgreSQL and Redis drivers it was not given, nor Node's fetch)", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-built-'));
    const preload = path.join(import.meta.dirname, '../helpers/reportPackageLoads.mjs');
    const secret = crypto.randomBytes(32).toString('hex');
    const env = { DATA_DIR: dataDir, MEDIA_ENABLED: 'false', AUTH_SECRET: secret };
    const p = await startServerProcess(env, ['--import', preload]);
    try {
      expect((await fetch(`${p.url}/api/media/status`)).status).toBe(200);
      const loaded = [...p.output().matchAll(/^package loaded: (\S+)$/gm)].map((m) => m[1]);
      // What it does load is seen, so the hook works.
      expect(loaded).toEqual(expect.arrayContaining(['better-sqlite3', 'pino']));
      expect(loaded).not.toContain('mediasoup');
      expect(loaded).not.toContain('pg');
      expect(loaded).not.toContain('ioredis');
      // A student edits a document and leaves: Hocuspocus is given no fetch Headers for the socket.
      const token = await mintToken(secret, { sub: 'ana', name: 'Ana', cls: 'class1', role: 'student' });
      const client = connectCollab(
        { wsUrl: p.url.replace(/^http/, 'ws') } as TestServer,
        'class1/code/main',
        token,
      );
      await client.synced();
      client.doc.getText('t').insert(0, 'print(1)');
      await client.saved();
      client.destroy();
    } finally {
      p.child.kill('SIGTERM');
      await p.exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    // Node's fetch (undici, ~1.3 MiB of heap) is loaded by an ES import of node:http or by fetch's Headers.
    expect(p.output()).toMatch(/^node fetch loaded: no$/m);
  });

  it('a bad setting is a one-line error naming the variable, exit code 2', async () => {
    const p = runServer({ PORT: 'eighty' });
    expect(await p.exited).toBe(2);
    expect(p.output().trim()).toMatch(/^tandem: invalid PORT: .+$/);
    const q = runServer({ AUTH_SECRET: 'short' });
    expect(await q.exited).toBe(2);
    expect(q.output().trim()).toMatch(/^tandem: invalid AUTH_SECRET: must be at least 32 characters$/);
  });

  it('REDIS_URL without DATABASE_URL is refused with one line naming both, exit code 2', async () => {
    const p = runServer({ REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(await p.exited).toBe(2);
    expect(p.output().trim()).toMatch(/^tandem: invalid REDIS_URL: a cluster needs DATABASE_URL too[^\n]*$/);
  });
});
