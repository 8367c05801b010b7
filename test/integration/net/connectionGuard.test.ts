// Issue #10 point 1, last line of defence: an exception raised while handling one connection closes that
// connection (WebSocket 1011, HTTP 500 JSON, upgrade 500), is counted in tandem_connection_errors_total,
// and never stops the process: other clients carry on.
import type { Hocuspocus } from '@hocuspocus/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectCollab } from '../../helpers/collabClient.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { openWs } from './netClients.ts';

let server: TestServer;

beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.stop();
});

async function connectionErrors(endpoint: string): Promise<number> {
  const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`tandem_connection_errors_total{endpoint="${endpoint}"}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('a throwing handler closes only its connection', () => {
  it('a WebSocket message handler → close 1011, counted; the bystander keeps editing', async () => {
    const bystander = connectCollab(
      server,
      'class1/code/main',
      await server.token({ sub: 'ins', role: 'instructor' }),
    );
    await bystander.synced();

    const hocuspocus = server.tandem.ctx.collab.hocuspocus as Hocuspocus & Record<string, unknown>;
    const original = hocuspocus.handleConnection.bind(hocuspocus);
    hocuspocus.handleConnection = ((...args: Parameters<typeof original>) => {
      const client = original(...args);
      client.handleMessage = () => {
        throw new TypeError('injected failure');
      };
      return client;
    }) as typeof original;
    const victim = openWs(server, '/collab');
    expect(await victim.opened).toBe(true);
    hocuspocus.handleConnection = original;
    victim.ws.send(new Uint8Array([4, 100, 111, 99, 49, 2, 0, 0]));
    expect(await victim.ended).toMatchObject({ kind: 'closed', code: 1011 });
    expect(await connectionErrors('collab')).toBe(1);

    bystander.doc.getText('t').insert(0, 'still fine');
    await bystander.saved();
    bystander.destroy();
  });

  it('an HTTP handler → 500 JSON with the API headers, counted', async () => {
    server.tandem.ctx.router.on('GET', '/test/boom', () => {
      throw new TypeError('injected failure');
    });
    const res = await fetch(`${server.httpUrl}/test/boom`);
    expect(res.status).toBe(500);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.json()).toMatchObject({ error: { code: 'internal' } });
    expect(await connectionErrors('http')).toBe(1);
    expect((await fetch(`${server.httpUrl}/healthz`)).status).toBe(200);
  });

  it('an accept failure on the listening server is counted and the server keeps listening', async () => {
    const error = Object.assign(new Error('accept EMFILE'), { code: 'EMFILE', syscall: 'accept' });
    server.tandem.server.emit('error', error);
    expect(await connectionErrors('accept')).toBe(1);
    expect((await fetch(`${server.httpUrl}/healthz`)).status).toBe(200);
  });

  it('an upgrade handler → 500 refusal, counted; the process serves on', async () => {
    server.tandem.ctx.upgrades.on('/boom', () => {
      throw new TypeError('injected failure');
    });
    expect(await openWs(server, '/boom').ended).toMatchObject({ kind: 'refused', status: 500 });
    expect(await connectionErrors('upgrade')).toBe(1);
    const client = connectCollab(
      server,
      'class1/code/main',
      await server.token({ sub: 'stu', role: 'student' }),
    );
    await client.synced();
    client.destroy();
  });
});
