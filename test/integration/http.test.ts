// Health, readiness, metrics, dev tokens and start-up configuration errors.
import { describe, expect, it } from 'vitest';
import { connectCollab } from '../helpers/collabClient.ts';
import { startTestServer } from '../helpers/server.ts';
import { runServer } from '../helpers/serverProcess.ts';

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
      expect(text).toMatch(/tandem_bytes_in_total\{endpoint="collab"\} [1-9]/);
      expect(text).toContain('tandem_store_seconds_bucket');
      expect(text).toContain('process_cpu_seconds_total');
      c.destroy();
    } finally {
      await server.stop();
    }
  });

  it('readyz reports not ready once the database is closed', async () => {
    const server = await startTestServer();
    const { storage } = server.tandem.ctx;
    if (storage.engine === 'sqlite') storage.db.close();
    const res = await fetch(`${server.httpUrl}/readyz`);
    expect(res.status).toBe(503);
    await server.stop();
  });

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
  it('a bad setting is a one-line error naming the variable, exit code 2', async () => {
    const p = runServer({ PORT: 'eighty' });
    expect(await p.exited).toBe(2);
    expect(p.output().trim()).toMatch(/^tandem: invalid PORT: .+$/);
    const q = runServer({ AUTH_SECRET: 'short' });
    expect(await q.exited).toBe(2);
    expect(q.output().trim()).toMatch(/^tandem: invalid AUTH_SECRET: must be at least 32 characters$/);
  });
});
